package org.ndis4j.examples.races;

import java.time.Duration;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.testing.Await;

/**
 * The five races of the corpus: the driver, the scenario the test runs against it (the same on the
 * deterministic and the threaded kernel), and the failure that shows the race was hit.
 *
 * <p>Every scenario boots a machine with two processors and one worker per queue, loads the driver,
 * adds a {@link RaceDevice}, and removes it again; the race happens on the way. The racing sides
 * become runnable at the start of the window (halt resets the device, whose last interrupt's DPC
 * queues the work item; the work item's PHY read interrupts), so the window is a few scheduling
 * choices wide.
 */
enum Race {
    FREE_WHILE_QUEUED("free-while-queued", Failure.Kind.BUG_CHECK, "halt frees a work item a DPC queued") {
        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, new FreeWhileQueuedDriver(variant)::driverEntry);
        }
    },
    HALT_FREES_POOL("halt-frees-pool", Failure.Kind.BUG_CHECK, "halt frees the pool a running work item uses") {
        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, new HaltFreesPoolDriver(variant)::driverEntry);
        }
    },
    LOST_UPDATE("lost-update", Failure.Kind.LOST_UPDATE, "a DPC and a work item update one counter") {
        @Override
        void run(Kernel kernel, Variant variant) {
            LostUpdateDriver driver = new LostUpdateDriver(variant);
            RaceDevice device = new RaceDevice(id + "0");
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter = pnp.addDevice(pnp.loadDriver(id, driver::driverEntry), device.resources());
            device.assertCause(RaceHardware.CAUSE_LINK); // the cable: the DPC counts it and queues the link work
            for (int i = 0; i < RECEIVE_BURSTS; i++) {
                kernel.switchPoint("RaceDevice"); // the hardware may act here: frames arrive while the work item runs
                device.assertCause(RaceHardware.CAUSE_RX);
            }
            Await.until(kernel, "the link work item ran", Duration.ofSeconds(10), () -> driver.linkChecks() == 1);
            pnp.removeDevice(adapter);
            if (driver.eventsHandled() != driver.eventsExpected()) {
                throw new AssertionError(Failure.LOST_UPDATE_TEXT + ": the adapter counted " + driver.eventsHandled()
                        + " events of " + driver.eventsExpected());
            }
        }
    },
    TIMER_CANCEL("timer-cancel", Failure.Kind.BUG_CHECK, "cancel returns FALSE and halt frees anyway") {
        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, new TimerCancelDriver(variant)::driverEntry);
        }
    },
    MISSING_SET_EVENT("missing-set-event", Failure.Kind.DEADLOCK, "the work item misses the NdisSetEvent halt waits for") {
        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, new MissingSetEventDriver(variant)::driverEntry);
        }
    };

    /** Receive interrupts the lost-update scenario's device raises while the link work item runs. */
    static final int RECEIVE_BURSTS = 2;

    /** The machine every scenario runs on. */
    static final int PROCESSORS = 2;

    final String id;
    final Failure.Kind expected;
    final String what;

    Race(String id, Failure.Kind expected, String what) {
        this.id = id;
        this.expected = expected;
        this.what = what;
    }

    /** One schedule of the scenario on {@code kernel}; the oracle throws AssertionError. */
    abstract void run(Kernel kernel, Variant variant);

    /** Loads the driver, adds a race device, removes it: the race is in halt. */
    void addAndRemove(Kernel kernel, DriverEntry entry) {
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter = pnp.addDevice(pnp.loadDriver(id, entry), new RaceDevice(id + "0").resources());
        pnp.removeDevice(adapter);
    }

    /** The kernel the scenario boots: two processors, one worker per queue, {@code scheduling}. */
    KernelConfig config(KernelConfig.Scheduling scheduling) {
        return KernelConfig.defaults()
                .withName(id)
                .withProcessors(PROCESSORS)
                .withWorkers(1, 1)
                .withNdisWatchdog(Duration.ofSeconds(2)) // threaded: a hung halt becomes a bug check soon
                .withScheduling(scheduling);
    }

    /** The command-line and report name, e.g. "lost-update". */
    @Override
    public String toString() {
        return id;
    }

    static Race of(String id) {
        for (Race r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no race '" + id + "'");
    }
}
