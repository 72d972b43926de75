/**
 * Reading captures: classic pcap (either byte order, microsecond or nanosecond timestamps) and
 * pcapng (sections in either byte order; interface description, enhanced and simple packet blocks;
 * other blocks skipped), Ethernet link type only. What {@code ndis4j inject} replays.
 *
 * <p>Hostile input is expected: every length is checked before it is used, memory is bounded by
 * {@code CaptureReader.MAX_CAPTURED_LENGTH} (262144 bytes) per frame, and every problem is a
 * {@code CaptureFormatException} with the byte offset where it was found.
 */
package org.ndis4j.tools.pcap;
