package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.FaultInjection;

/**
 * The recording protocol when NDIS has no NBL to give (NdisAllocateNetBufferAndNetBufferList or
 * NdisAllocateNetBufferListPool returning NULL, as the WDK allows): the frame is not sent and its
 * send is recorded as completed with NDIS_STATUS_RESOURCES, its memory released (the leak detector
 * is paranoid in tests); the other frames go.
 */
@ExtendWith(KernelExtension.class)
class RecordingProtocolResourcesTest {

    static final long ME = Addresses.mac("02:00:00:00:00:08");
    static final long PEER = Addresses.mac("02:00:00:00:00:09");

    @Test
    void aFrameWithNoNblCompletesWithResourcesAndTheOthersGo(Kernel kernel) {
        RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, KitMiniport.Bug.NONE));
        byte[] first = FrameBuilder.ethernet(PEER, ME).testPattern(64, 1);
        byte[] second = FrameBuilder.ethernet(PEER, ME).testPattern(64, 2);
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_AND_NET_BUFFER_LIST, 1);

        protocol.send(List.of(first, second));

        protocol.awaitReceivedCount(1);
        protocol.awaitSendCompletions(2);
        assertThat(protocol.received()).containsExactly(second);
        assertThat(protocol.sendCompletions()).containsExactlyInAnyOrder(NdisStatus.RESOURCES, NdisStatus.SUCCESS);
        assertThat(protocol.sendsOutstanding()).isZero();
    }

    @Test
    void withNoPoolEverySendCompletesWithResources(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = KitMiniport.start(kernel, KitMiniport.Bug.NONE);
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST_POOL, 1);
        RecordingProtocol protocol = RecordingProtocol.bind(adapter);

        protocol.send(List.of(FrameBuilder.ethernet(PEER, ME).testPattern(64, 1)));

        assertThat(protocol.sendCompletions()).containsExactly(NdisStatus.RESOURCES);
        assertThat(protocol.sendsOutstanding()).isZero();
        assertThat(protocol.receivedCount()).isZero();
    }
}
