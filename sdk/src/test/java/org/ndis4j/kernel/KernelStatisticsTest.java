package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;

/** The machine counts what it ran: ISRs, DPCs, and each work queue's routines. */
@ExtendWith(KernelExtension.class)
class KernelStatisticsTest {

    /** A routine for a processor at {@code irql}, counting down {@code ran}. */
    static ProcessorTask at(Irql irql, CountDownLatch ran) {
        return new ProcessorTask() {
            @Override
            public Irql irql() {
                return irql;
            }

            @Override
            public String driver() {
                return "test";
            }

            @Override
            public void run() {
                ran.countDown();
            }
        };
    }

    @Test
    void countsIsrsDpcsAndWorkItemsPerQueue(Kernel kernel) throws Exception {
        KernelStatistics s = kernel.statistics();
        long isrs = s.interruptServiceRoutines();
        long dpcs = s.deferredProcedureCalls();
        long critical = s.workItems(WorkQueueType.CriticalWorkQueue);
        long delayed = s.workItems(WorkQueueType.DelayedWorkQueue);

        CountDownLatch ran = new CountDownLatch(5);
        kernel.runOnProcessor(0, at(Irql.DIRQL, ran));
        kernel.runOnProcessor(1, at(Irql.DISPATCH_LEVEL, ran));
        kernel.runOnProcessor(0, at(Irql.DISPATCH_LEVEL, ran));
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "test", ran::countDown);
        kernel.queueWorkItem(WorkQueueType.DelayedWorkQueue, "test", ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        Await.until("the counts", () -> s.workItems(WorkQueueType.DelayedWorkQueue) >= delayed + 1);
        assertThat(s.interruptServiceRoutines()).isEqualTo(isrs + 1);
        assertThat(s.deferredProcedureCalls()).isEqualTo(dpcs + 2);
        assertThat(s.workItems(WorkQueueType.CriticalWorkQueue)).isEqualTo(critical + 1);
        assertThat(s.workItems(WorkQueueType.DelayedWorkQueue)).isEqualTo(delayed + 1);
        assertThat(s.toString()).contains("ISRs " + (isrs + 1));
    }

    @Test
    void anObserverHearsEachRoutineWithItsKindIrqlAndThread(Kernel kernel) throws Exception {
        List<KernelStatistics.Routine> seen = new CopyOnWriteArrayList<>();
        kernel.statistics().observe(r -> {
            if ("test".equals(r.driver())) {
                seen.add(r);
            }
        });
        CountDownLatch ran = new CountDownLatch(2);
        kernel.runOnProcessor(1, at(Irql.DIRQL, ran));
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "test", ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        kernel.statistics().observe(null);

        assertThat(seen)
                .extracting(KernelStatistics.Routine::kind)
                .containsExactlyInAnyOrder(KernelStatistics.RoutineKind.ISR, KernelStatistics.RoutineKind.WORK_ITEM);
        KernelStatistics.Routine isr = seen.stream()
                .filter(r -> r.kind() == KernelStatistics.RoutineKind.ISR)
                .findFirst()
                .orElseThrow();
        assertThat(isr.irql()).isEqualTo(Irql.DIRQL);
        assertThat(isr.thread()).endsWith("cpu1");
    }
}
