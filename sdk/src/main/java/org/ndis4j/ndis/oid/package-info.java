/**
 * OID requests: the OID numbers (the real ntddndis.h values, {@code Oid}), the
 * request ({@code NdisOidRequest}, NDIS_OID_REQUEST) and the typed payloads NDIS
 * and miniports exchange in its information buffer (NDIS_LINK_STATE, NDIS_STATISTICS_INFO, packet
 * filter and MAC option bits).
 *
 * <p>The information buffer is bytes, laid out as on Windows x64: little-endian ULONG / ULONG64,
 * natural alignment, an NDIS_OBJECT_HEADER in front of every NDIS 6 structure. A miniport writes it
 * as it would in C; the payload records here encode and decode the common structures so that nobody
 * has to count offsets twice. See docs/oids.md for the table of OIDs, who answers each, and layouts.
 */
package org.ndis4j.ndis.oid;
