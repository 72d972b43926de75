package org.ndis4j.host;

/**
 * The OID requests issued on one adapter ({@link AdapterView#oidRequests()}), counted since it was
 * added. A request still queued or held by the miniport is in {@code requests} only.
 *
 * @param requests            issued (NdisOidRequest from bindings and filters, and hosts' requests)
 * @param answeredByNdis      answered by NDIS itself (OIDs it keeps, such as OID_GEN_CURRENT_PACKET_FILTER reads)
 * @param completedByMiniport completed by MiniportOidRequest, at once or with NdisMOidRequestComplete
 * @param failed              ended with a failure status: refused, failed, not supported, or aborted
 */
public record OidRequestCounts(long requests, long answeredByNdis, long completedByMiniport, long failed) {}
