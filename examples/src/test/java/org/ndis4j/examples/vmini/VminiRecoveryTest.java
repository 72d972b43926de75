package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.vmini.VminiScenarios.A;
import static org.ndis4j.examples.vmini.VminiScenarios.B;
import static org.ndis4j.examples.vmini.VminiScenarios.NORMAL;
import static org.ndis4j.examples.vmini.VminiScenarios.exchange;
import static org.ndis4j.examples.vmini.VminiScenarios.frame;
import static org.ndis4j.examples.vmini.VminiScenarios.framesFromAToB;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.InMemoryWire;

/**
 * vmini when things go wrong or go away, on two machines joined by an {@link InMemoryWire}: a wedged
 * NIC found by MiniportCheckForHangEx and brought back by MiniportResetEx (frames counted before,
 * during and after), a system shutdown that stops the NIC, and a NIC pulled from its slot.
 */
@ExtendWith(KernelExtension.class)
class VminiRecoveryTest {

    /** Check-for-hang every 2 s; a wedge is found after two to three periods and reset at once. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

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
    void aWedgedTransmitUnitIsFoundByCheckForHangAndVminisResetBringsTrafficBack() {
        List<byte[]> before = framesFromAToB(5, 0);
        exchange(a, b, before, 5);
        assertThat(b.protocol.receivedCount()).isEqualTo(5);

        a.nic.faults().stallTransmit(); // the transmit DMA engine hangs
        List<byte[]> stuck = framesFromAToB(3, 100);
        long completed = a.protocol.sendCompletionCount();
        a.protocol.send(stuck);
        assertThat(a.protocol.sendsOutstanding()).as("in the wedged ring").isEqualTo(3);

        Await.until(
                "check-for-hang finds the wedge and vmini's reset ends",
                RECOVERY,
                () -> AdapterView.of(a.adapter).lastResetStatus() == NdisStatus.SUCCESS);
        a.protocol.awaitSendCompletions(completed + 3);
        assertThat(a.protocol.sendCompletions().subList((int) completed, (int) completed + 3))
                .as("the sends the wedge held, completed by the reset")
                .containsOnly(NdisStatus.REQUEST_ABORTED);
        assertThat(b.protocol.receivedCount()).as("none of them reached B").isEqualTo(5);
        assertThat(a.nic.faults().isTransmitStalled())
                .as("CTRL.RESET cleared the wedge")
                .isFalse();
        assertThat(AdapterView.of(a.adapter).resetsStarted()).isEqualTo(1);
        assertThat(a.protocol.statusIndications())
                .extracting(s -> s.indication().statusCode())
                .containsSubsequence(NdisStatus.RESET_START, NdisStatus.RESET_END);

        List<byte[]> after = framesFromAToB(5, 200);
        exchange(a, b, after, 5); // A's filter is back (vmini's reset, then NDIS: AddressingReset); new rings
        List<byte[]> reply = List.of(frame(A, B, 90, 300));
        exchange(b, a, reply, 1); // and A receives again
        List<byte[]> atB = b.protocol.received();
        assertThat(atB).hasSize(10);
        assertThat(atB.subList(0, 5)).containsExactlyElementsOf(before);
        assertThat(atB.subList(5, 10)).containsExactlyElementsOf(after);
        assertThat(a.protocol.received()).containsExactlyElementsOf(reply);
    }

    @Test
    void interruptsThatStopComingAreFoundByCheckForHangToo() {
        exchange(a, b, framesFromAToB(2, 0), 2);

        a.nic.faults().muteInterrupts(); // the device works, its line stays low
        long completed = a.protocol.sendCompletionCount();
        a.protocol.send(framesFromAToB(2, 10));
        b.protocol.awaitReceivedCount(4); // the device sent them; A's driver was never told

        Await.until(
                "check-for-hang finds the unreaped ring and vmini's reset ends",
                RECOVERY,
                () -> AdapterView.of(a.adapter).lastResetStatus() == NdisStatus.SUCCESS);
        a.protocol.awaitSendCompletions(completed + 2);
        assertThat(a.protocol.sendCompletions().subList((int) completed, (int) completed + 2))
                .as("sent by the device: the reset reaps them with their status")
                .containsOnly(NdisStatus.SUCCESS);
        exchange(a, b, framesFromAToB(3, 20), 3);
        assertThat(b.protocol.receivedCount()).isEqualTo(7);
    }

    @Test
    void steadyTrafficIsNeverReset() {
        int seq = 0;
        for (int period = 0; period < 3; period++) { // traffic in each of three check-for-hang periods
            int checks = AdapterView.of(a.adapter).checkForHangCalls();
            exchange(a, b, framesFromAToB(4, seq), 4);
            exchange(b, a, List.of(frame(A, B, 64, seq)), 1);
            seq += 4;
            Await.until(
                    "the next check-for-hang",
                    RECOVERY,
                    () -> AdapterView.of(a.adapter).checkForHangCalls() > checks);
        }
        assertThat(AdapterView.of(a.adapter).resetsStarted()).isZero();
        assertThat(AdapterView.of(b.adapter).resetsStarted()).isZero();
        assertThat(b.protocol.receivedCount()).isEqualTo(seq);
    }

    @Test
    void aSystemShutdownReachesVminiWhichStopsTheNicAndLeavesNothingOutstanding() {
        exchange(a, b, framesFromAToB(5, 0), 5);
        exchange(b, a, List.of(frame(A, B, 64, 50)), 1);

        a.shutDown();

        AdapterView view = AdapterView.of(a.adapter);
        assertThat(view.state()).isEqualTo(AdapterState.Shutdown);
        assertThat(view.sendsOutstanding()).isZero();
        assertThat(view.receivesOutstanding()).isZero();
        assertThat(view.isResetting()).isFalse();
        assertThat(a.nic.resources().registers().read32(Registers.CTRL))
                .as("both units off")
                .isZero();
        assertThat(a.nic.resources().registers().read32(Registers.IMS))
                .as("every interrupt masked")
                .isZero();
        assertThat(a.nic.resources().interrupt().isConnected())
                .as("NDIS calls no ISR after shutdown")
                .isFalse();

        long raised = a.nic.resources().interrupt().raised();
        long receivedAtA = a.protocol.receivedCount();
        exchange(b, a, List.of(frame(A, B, 64, 51), frame(A, B, 64, 52)), 0); // on A's wire, into a stopped NIC
        wire.cut(); // and a link change
        assertThat(a.nic.resources().interrupt().raised())
                .as("the NIC stays quiet")
                .isEqualTo(raised);
        assertThat(a.protocol.receivedCount()).isEqualTo(receivedAtA);
    }

    @Test
    void aNicPulledFromItsSlotIsSurpriseRemovedAndVminiStopsTouchingIt() {
        exchange(a, b, framesFromAToB(5, 0), 5);
        PnpManager pnp = PnpManager.of(a.kernel);
        // The send completions came from A's DPC, which unmasks the NIC (IMS) after them: a pull in
        // between is a write no driver can avoid (NDIS has not told it yet). Pull once it is done.
        VminiAdapter vmini = (VminiAdapter) AdapterView.of(a.adapter).adapterContext();
        Await.until(
                "A's interrupt DPC done",
                () -> vmini.dpcsRunning.get() == 0
                        && a.nic.resources().registers().read32(Registers.IMS) == VminiHardware.INTERRUPT_CAUSES);

        a.nic.surpriseRemove();
        a.adapterGone();

        Await.until("NDIS halts the pulled adapter", () -> !pnp.devices().contains(a.adapter));
        AdapterView view = AdapterView.of(a.adapter);
        assertThat(view.state()).isEqualTo(AdapterState.Halted);
        assertThat(view.isSurpriseRemoved()).isTrue();
        assertThat(view.sendsOutstanding()).isZero();
        assertThat(view.receivesOutstanding()).isZero();
        assertThat(a.memory.allocatedBytes()).as("halt freed the shared memory").isZero();
        assertThat(a.nic.statistics().writesWhileRemoved())
                .as("no register written after the NIC was pulled (pause and halt skip the hardware)")
                .isZero();
        assertThat(a.protocol.statusIndications())
                .extracting(s -> s.indication().statusCode())
                .doesNotContain(NdisStatus.RESET_START);

        // B's machine goes on: its frames to A are lost on the wire, its own traffic is unharmed.
        long completed = b.protocol.sendCompletionCount();
        b.protocol.send(List.of(frame(A, B, 64, 9)));
        b.protocol.awaitSendCompletions(completed + 1);
        assertThat(AdapterView.of(b.adapter).state()).isEqualTo(AdapterState.Running);
    }

    /** The twin of the surprise removal: the NIC stays, and halt stops and resets it through its registers. */
    @Test
    void anOrdinaryRemovalWritesTheRegistersHaltNeeds() {
        exchange(a, b, framesFromAToB(2, 0), 2);

        a.removeDevice(); // checks that every byte of shared memory came back

        assertThat(AdapterView.of(a.adapter).isSurpriseRemoved()).isFalse();
        assertThat(a.nic.resources().registers().read32(Registers.CTRL)).isZero();
        assertThat(a.nic.statistics().writesWhileRemoved()).isZero();
    }
}
