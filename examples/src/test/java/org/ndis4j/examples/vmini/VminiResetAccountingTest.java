package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.vmini.VminiScenarios.A;
import static org.ndis4j.examples.vmini.VminiScenarios.B;
import static org.ndis4j.examples.vmini.VminiScenarios.NORMAL;
import static org.ndis4j.examples.vmini.VminiScenarios.exchange;
import static org.ndis4j.examples.vmini.VminiScenarios.frame;
import static org.ndis4j.examples.vmini.VminiScenarios.statistics;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.InMemoryWire;

/**
 * A reset of vmini in the middle of traffic, forced the way SoakIT met one (check-for-hang finds a
 * ring that stopped moving, NDIS calls MiniportResetEx), loses nothing uncounted: every frame A put on
 * the wire is received by B's protocol or counted by B's driver (OID_GEN_STATISTICS), and no counter
 * B's driver reports goes backwards although the device reset cleared the NIC's own.
 */
@ExtendWith(KernelExtension.class)
class VminiResetAccountingTest {

    private static final int BATCH = 16;
    /** Two check-for-hang periods without progress, then the reset; with room for a loaded machine. */
    private static final long TRAFFIC_DEADLINE_NANOS = 60_000_000_000L;

    private InMemoryWire wire;
    private VminiStation a;
    private VminiStation b;
    private int seq;

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

    /** Each reported counter, checked against the last sample of the same adapter: never smaller. */
    private static final class Monotonic {
        private NdisStatisticsInfo last;
        int samples;

        void sample(NdisStatisticsInfo now) throws ReflectiveOperationException {
            if (last != null) {
                for (RecordComponent counter : NdisStatisticsInfo.class.getRecordComponents()) {
                    if (counter.getType() == long.class) {
                        assertThat((long) counter.getAccessor().invoke(now))
                                .as("%s after sample %d", counter.getName(), samples)
                                .isGreaterThanOrEqualTo(
                                        (long) counter.getAccessor().invoke(last));
                    }
                }
            }
            last = now;
            samples++;
        }
    }

    private List<byte[]> batch() {
        List<byte[]> frames = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            frames.add(frame(B, A, 60 + (seq % 1400), seq++));
        }
        return frames;
    }

    private void sendBatch() {
        long completed = a.protocol.sendCompletionCount();
        a.protocol.send(batch());
        a.protocol.awaitSendCompletions(completed + BATCH);
    }

    @Test
    void aReceiverResetMidTrafficLeavesEveryFrameReceivedOrCountedAndNoCounterGoesBack() throws Exception {
        exchange(a, b, batch(), BATCH);
        AdapterView viewB = AdapterView.of(b.adapter);
        Monotonic counters = new Monotonic();
        NdisStatisticsInfo aBefore = statistics(a);
        NdisStatisticsInfo bBefore = statistics(b);
        counters.sample(bBefore);
        long receivedBefore = b.protocol.receivedCount();

        for (int i = 0; i < 20; i++) {
            sendBatch();
        }
        // B's NIC goes on receiving, its interrupts stop: the driver reaps nothing, the ring fills and
        // the NIC drops for want of buffers; check-for-hang finds the ring stuck and NDIS resets B,
        // all while A keeps sending.
        b.nic.faults().muteInterrupts();
        long receivedAtMute = b.protocol.receivedCount();
        long deadline = System.nanoTime() + TRAFFIC_DEADLINE_NANOS;
        int batches = 0;
        while (viewB.resetsStarted() == 0 || viewB.isResetting()) {
            sendBatch();
            if (++batches % 64 == 0) {
                counters.sample(statistics(b)); // held by NDIS while the reset runs, answered after
            }
            assertThat(System.nanoTime()).as("B reset within the deadline").isLessThan(deadline);
        }
        long receivedAtReset = b.protocol.receivedCount();
        for (int i = 0; i < 20; i++) {
            sendBatch();
            counters.sample(statistics(b));
        }

        long onTheWire = statistics(a).ifHCOutUcastPkts() - aBefore.ifHCOutUcastPkts();
        Await.until(
                "every frame A put on the wire received by B or counted by B's driver",
                () -> accounted(receivedBefore, bBefore) == onTheWire);
        NdisStatisticsInfo bAfter = statistics(b);
        counters.sample(bAfter);

        assertThat(viewB.resetsStarted()).isEqualTo(1);
        assertThat(viewB.lastResetStatus()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(a.adapter).resetsStarted())
                .as("A was never stuck")
                .isZero();
        assertThat(bAfter.ifInDiscards() - bBefore.ifInDiscards())
                .as("B's NIC dropped frames while its driver was deaf, and they are counted")
                .isPositive();
        assertThat(bAfter.ifHCInUcastPkts())
                .as("the NIC's count, kept across the reset")
                .isGreaterThanOrEqualTo(bBefore.ifHCInUcastPkts() + (receivedAtMute - receivedBefore));
        assertThat(b.protocol.receivedCount())
                .as("B receives again after the reset")
                .isGreaterThan(receivedAtReset);
        assertThat(accounted(receivedBefore, bBefore)).isEqualTo(onTheWire);
        assertThat(counters.samples).isGreaterThan(20);
    }

    @Test
    void aSenderResetMidTrafficCompletesEverySendOnceAndCountsWhatItAborted() throws Exception {
        exchange(a, b, batch(), BATCH);
        AdapterView viewA = AdapterView.of(a.adapter);
        Monotonic counters = new Monotonic();
        NdisStatisticsInfo aBefore = statistics(a);
        NdisStatisticsInfo bBefore = statistics(b);
        counters.sample(aBefore);
        int completedBefore = (int) a.protocol.sendCompletionCount();
        long receivedBefore = b.protocol.receivedCount();
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            sendBatch();
            sent += BATCH;
        }
        // A's transmit unit wedges: its ring and then its wait list fill, later sends are refused
        // (RESOURCES); check-for-hang finds the ring stuck and NDIS resets A. A batch goes down every
        // check-for-hang period meanwhile, and more after.
        a.nic.faults().stallTransmit();
        long deadline = System.nanoTime() + TRAFFIC_DEADLINE_NANOS;
        while (viewA.resetsStarted() == 0 || viewA.isResetting()) {
            int checks = viewA.checkForHangCalls();
            a.protocol.send(batch());
            sent += BATCH;
            if (a.protocol.sendsOutstanding() >= VminiHardware.SEND_WAIT_LIMIT) {
                Await.until(
                        "A's next check-for-hang",
                        () -> viewA.checkForHangCalls() > checks || viewA.resetsStarted() > 0);
                counters.sample(statistics(a));
            }
            assertThat(System.nanoTime()).as("A reset within the deadline").isLessThan(deadline);
        }
        for (int i = 0; i < 10; i++) {
            sendBatch();
            sent += BATCH;
            counters.sample(statistics(a));
        }

        a.protocol.awaitSendCompletions(completedBefore + sent);
        assertThat(a.protocol.sendCompletionCount())
                .as("every send completed once")
                .isEqualTo(completedBefore + sent);
        List<NdisStatus> statuses = a.protocol.sendCompletions().subList(completedBefore, completedBefore + sent);
        long succeeded = statuses.stream().filter(s -> s == NdisStatus.SUCCESS).count();
        assertThat(statuses)
                .as("what the wedge held, aborted by the reset")
                .contains(NdisStatus.REQUEST_ABORTED)
                .isSubsetOf(
                        NdisStatus.SUCCESS,
                        NdisStatus.RESOURCES,
                        NdisStatus.RESET_IN_PROGRESS,
                        NdisStatus.REQUEST_ABORTED);
        NdisStatisticsInfo aAfter = statistics(a);
        counters.sample(aAfter);
        assertThat(aAfter.ifOutDiscards() - aBefore.ifOutDiscards())
                .as("A's ifOutDiscards: every send refused or aborted")
                .isEqualTo(sent - succeeded);
        assertThat(aAfter.ifHCOutUcastPkts() - aBefore.ifHCOutUcastPkts())
                .as("A's frames on the wire, counted across the reset")
                .isEqualTo(succeeded);
        Await.until(
                "every frame A sent received by B or counted by B's driver",
                () -> accounted(receivedBefore, bBefore) == succeeded);
        assertThat(viewA.resetsStarted()).isEqualTo(1);
        assertThat(AdapterView.of(b.adapter).resetsStarted())
                .as("B was never stuck")
                .isZero();
    }

    /** Frames B's protocol received since, plus the frames B's driver counts as discarded or in error. */
    private long accounted(long receivedBefore, NdisStatisticsInfo bBefore) {
        NdisStatisticsInfo now = statistics(b);
        return b.protocol.receivedCount()
                - receivedBefore
                + now.ifInDiscards()
                - bBefore.ifInDiscards()
                + now.ifInErrors()
                - bBefore.ifInErrors();
    }
}
