package org.ndis4j.examples.ipstack;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.ThreadKind;

/**
 * One NDIS_STATUS_LINK_STATE indication as ipstack's ProtocolStatusEx saw it: the state, and where it
 * came from (the IRQL and the kind and name of the thread that indicated it).
 *
 * @param connected     MediaConnectStateConnected
 * @param speed         the transmit link speed in bits/s (NDIS_LINK_SPEED_UNKNOWN when down)
 * @param irql          the IRQL ProtocolStatusEx ran at
 * @param threadKind    processor, system worker, clock or external thread
 * @param thread        the thread's name
 * @param interruptTime KeQueryInterruptTime when it arrived (100-ns units)
 */
public record LinkEvent(
        boolean connected, long speed, Irql irql, ThreadKind threadKind, String thread, long interruptTime) {}
