package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.vmini.VminiScenarios.A;
import static org.ndis4j.examples.vmini.VminiScenarios.B;
import static org.ndis4j.examples.vmini.VminiScenarios.NORMAL;
import static org.ndis4j.examples.vmini.VminiScenarios.exchange;
import static org.ndis4j.examples.vmini.VminiScenarios.framesFromAToB;
import static org.ndis4j.examples.vmini.VminiScenarios.statistics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.InMemoryWire;

/**
 * Frames vmini accepted and then dropped are counted once each: a send whose descriptor was never
 * sent when the adapter pauses or the system shuts down is in ifOutDiscards (with the sends that
 * waited for ring space), a frame the NIC received that the DPC reaps while receives are paused is in
 * ifInDiscards. The reset's share of both is checked by {@link VminiResetAccountingTest}.
 */
@ExtendWith(KernelExtension.class)
class VminiDiscardAccountingTest {

    private InMemoryWire wire;
    private VminiStation a;
    private VminiStation b;

    @BeforeEach
    void boot(Kernel kernelA, Kernel kernelB) {
        wire = InMemoryWire.pair();
        a = new VminiStation(kernelA, "vnic-a", wire.a(), A);
        b = new VminiStation(kernelB, "vnic-b", wire.b(), B);
        a.awaitLinkUpAndSetFilter("A", NORMAL);
        b.awaitLinkUpAndSetFilter("B", NORMAL);
    }

    @AfterEach
    void shutDown() {
        VminiStation.closeInReverse(a, b);
    }

    @Test
    void aPauseCountsEverySendItDroppedOnceInRingOrWaiting() {
        exchange(a, b, framesFromAToB(2, 0), 2);
        NdisStatisticsInfo before = statistics(a);
        long completed = a.protocol.sendCompletionCount();
        a.nic.faults().stallTransmit(); // the ring fills and stays full: nothing of what follows is sent
        int inRing = VminiConfiguration.DEFAULTS.transmitRingSize() - 1;
        int sent = inRing + 5;
        a.protocol.send(framesFromAToB(sent, 10));
        assertThat(a.protocol.sendsOutstanding())
                .as("in the wedged ring or waiting")
                .isEqualTo(sent);

        PnpManager pnp = PnpManager.of(a.kernel);
        pnp.pause(a.adapter);

        a.protocol.awaitSendCompletions(completed + sent);
        assertThat(a.protocol.sendCompletions().subList((int) completed, (int) (completed + sent)))
                .containsOnly(NdisStatus.PAUSED);
        NdisStatisticsInfo after = statistics(a); // NDIS passes OID requests to a paused adapter
        assertThat(after.ifOutDiscards() - before.ifOutDiscards())
                .as("every frame the pause dropped, the %d in the ring and the 5 waiting, once", inRing)
                .isEqualTo(sent);
        assertThat(after.ifHCOutUcastPkts()).as("none sent").isEqualTo(before.ifHCOutUcastPkts());
        assertThat(pnp.restart(a.adapter)).isEqualTo(NdisStatus.SUCCESS);
    }

    @Test
    void aShutdownCountsTheSendsItDroppedOnce() {
        exchange(a, b, framesFromAToB(2, 0), 2);
        VminiAdapter vmini = (VminiAdapter) AdapterView.of(a.adapter).adapterContext();
        long discardsBefore = statistics(a).ifOutDiscards();
        long completed = a.protocol.sendCompletionCount();
        a.nic.faults().stallTransmit();
        a.protocol.send(framesFromAToB(3, 10));
        assertThat(a.protocol.sendsOutstanding()).as("in the wedged ring").isEqualTo(3);

        a.shutDown(); // MiniportShutdownEx: the sends held complete with NOT_ACCEPTED

        a.protocol.awaitSendCompletions(completed + 3);
        assertThat(a.protocol.sendCompletions().subList((int) completed, (int) completed + 3))
                .containsOnly(NdisStatus.NOT_ACCEPTED);
        // After shutdown NDIS forwards no request; the driver's own answer is read in its package.
        assertThat(VminiControlPath.statistics(vmini).ifOutDiscards() - discardsBefore)
                .isEqualTo(3);
    }

    @Test
    void framesTheDpcReapsWhileReceivesArePausedAreCountedInInDiscardsOnce() {
        exchange(a, b, framesFromAToB(2, 0), 2);
        NdisStatisticsInfo before = statistics(b);
        long receivedBefore = b.protocol.receivedCount();
        b.nic.faults().muteInterrupts(); // RX latches in ICR, the line stays low: nobody reaps
        int landed = 5;
        a.protocol.send(framesFromAToB(landed, 10));
        Await.until(
                "B's NIC received the frames into posted buffers",
                () -> statistics(b).ifHCInUcastPkts() - before.ifHCInUcastPkts() == landed);

        PnpManager.of(b.kernel).pause(b.adapter);
        // The interrupt comes late, after the pause: the DPC reaps the frames and may not indicate them.
        b.nic.resources().interrupt().raise();

        Await.until(
                "B's driver counted what it reaped and dropped",
                () -> statistics(b).ifInDiscards() - before.ifInDiscards() == landed);
        NdisStatisticsInfo after = statistics(b);
        assertThat(b.protocol.receivedCount()).as("none indicated").isEqualTo(receivedBefore);
        assertThat(after.ifInDiscards() - before.ifInDiscards()).as("each once").isEqualTo(landed);
        assertThat(after.ifInErrors()).isEqualTo(before.ifInErrors());
    }
}
