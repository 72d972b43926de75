package org.ndis4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Interrupt-to-DPC latency: from the device raising its interrupt line (on the benchmark thread,
 * as a Netty I/O thread would) until MiniportInterruptDPC starts on a processor.
 *
 * <pre>
 *   benchmark thread: line.raise() ─► kernel queues the ISR on a processor (DIRQL)
 *   processor:        MiniportInterrupt: read-to-clear cause, RECOGNIZED_QUEUE_DEFAULT_DPC
 *                     MiniportInterruptDPC starts ─► dpcStarted++   ◄─ the benchmark thread spins on it
 * </pre>
 *
 * One invocation is one raise; the time includes the wake-up of an idle processor thread and the
 * benchmark thread's spin. The kernel boots with interrupts on the raising thread off
 * ({@code KernelConfig.withInterruptsOnRaisingThread(false)}): by default the benchmark thread,
 * raising while the processor is idle, would run the ISR and the DPC itself, and this would time a
 * call, not the hand-off to a processor. Run: {@code java -jar benchmarks/target/benchmarks.jar InterruptLatency}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class InterruptLatencyBenchmark {

    private Kernel kernel;
    private InterruptLine line;
    private LatencyMiniport miniport;

    @Setup(Level.Trial)
    public void boot() {
        // The hand-off to a processor's thread, not a run on the raising thread (see above).
        kernel = Kernel.boot(KernelConfig.defaults().withName("irq-bench").withInterruptsOnRaisingThread(false));
        line = new InterruptLine("bench0");
        miniport = new LatencyMiniport();
        DriverObject driver = PnpManager.of(kernel).loadDriver("latency", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
            return NdisStatus.SUCCESS;
        });
        PnpManager.of(kernel)
                .addDevice(driver, new DeviceResources("bench0", miniport.cause, new HostMemory(1 << 20), line));
    }

    @TearDown(Level.Trial)
    public void shutDown() {
        kernel.close(); // halts the adapter, which deregisters the interrupt
    }

    @Benchmark
    public long raiseToDpcStart() {
        LatencyMiniport m = miniport;
        long before = m.dpcStarted;
        while (m.dpcFinished != before) {
            Thread.onSpinWait(); // the previous DPC's last instructions; normally already done
        }
        m.cause.assertCause();
        line.raise();
        long now;
        while ((now = m.dpcStarted) == before) {
            Thread.onSpinWait();
        }
        return now;
    }

    /** A cause register: reading it returns and clears what the device asserted. */
    static final class CauseRegister implements RegisterSpace {
        private volatile int cause;

        void assertCause() {
            cause = 1;
        }

        @Override
        public int length() {
            return 4;
        }

        @Override
        public int read32(int offset) {
            int c = cause;
            cause = 0;
            return c;
        }

        @Override
        public void write32(int offset, int value) {}
    }

    /** The smallest interrupt-driven miniport: ISR reads the cause, DPC counts. */
    static final class LatencyMiniport implements MiniportDriver<LatencyMiniport>, InterruptHandlers<LatencyMiniport> {
        final CauseRegister cause = new CauseRegister();
        volatile long dpcStarted;
        volatile long dpcFinished;
        private NdisInterrupt interrupt;

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters initParameters) {
            NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(this));
            NdisM.setMiniportAttributes(
                    handle,
                    MiniportAdapterGeneralAttributes.builder()
                            .mtuSize(1500)
                            .maxLinkSpeed(1_000_000_000L)
                            .initialLinkState(NdisLinkState.disconnected())
                            .macAddress(new byte[] {2, 0, 0, 0, 0, 9})
                            .maxMulticastListSize(32)
                            .build());
            interrupt = NdisM.registerInterruptEx(handle, this, this);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void haltEx(LatencyMiniport adapterContext, NdisHaltAction haltAction) {
            NdisM.deregisterInterruptEx(interrupt);
        }

        @Override
        public MiniportInterruptResult interrupt(LatencyMiniport context) {
            return context.cause.read32(0) == 0
                    ? MiniportInterruptResult.NOT_RECOGNIZED
                    : MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
        }

        @Override
        public void interruptDpc(
                LatencyMiniport context,
                Object miniportDpcContext,
                NdisReceiveThrottleParameters receiveThrottleParameters) {
            long n = dpcStarted + 1; // only DPCs write these; one DPC at a time (one raise in flight)
            dpcStarted = n;
            dpcFinished = n;
        }
    }
}
