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
 * <p>Every scenario boots a machine with one or two processors and one worker per queue, loads the driver,
 * adds a {@link RaceDevice}, and removes it again; the race happens on the way. The racing sides
 * become runnable at the start of the window (halt resets the device, whose last interrupt's DPC
 * queues the work item; the test raises receive interrupts while the link work item runs), so the
 * window is a few scheduling choices wide.
 */
enum Race {
    FREE_WHILE_QUEUED("free-while-queued", 2) {
        @Override
        boolean shows(Failure f) {
            return f.isBugCheck(0xC4, "IoWorkItem_FreeWhileQueued");
        }

        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, RaceDriver.freeWhileQueued(variant)::driverEntry);
        }
    },
    HALT_FREES_POOL("halt-frees-pool", 1) {
        @Override
        boolean shows(Failure f) {
            return f.isBugCheck(0xC4, "Nbl_UseAfterFree", "NblPool_FreeWithOutstanding");
        }

        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, RaceDriver.haltFreesPool(variant)::driverEntry);
        }
    },
    LOST_UPDATE("lost-update", 2) {
        @Override
        boolean shows(Failure f) {
            return f.kind() == Failure.Kind.LOST_UPDATE;
        }

        @Override
        void run(Kernel kernel, Variant variant) {
            RaceDriver<LostUpdateAdapter> driver = RaceDriver.lostUpdate(variant);
            RaceDevice device = new RaceDevice(id + "0");
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver(id, driver::driverEntry), device.resources());
            device.assertCause(RaceHardware.CAUSE_LINK); // the cable: the DPC counts it and queues the link work
            for (int i = 0; i < RECEIVE_BURSTS; i++) {
                kernel.switchPoint("RaceDevice"); // the hardware may act here: frames arrive while the work item runs
                device.assertCause(RaceHardware.CAUSE_RX);
            }
            Await.until(
                    kernel,
                    "the link work item ran",
                    Duration.ofSeconds(10),
                    () -> driver.adapter() != null && driver.adapter().linkChecks() == 1);
            pnp.removeDevice(adapter);
            LostUpdateAdapter a = driver.adapter();
            if (a.eventsHandled() != a.eventsExpected()) {
                throw new AssertionError(Failure.LOST_UPDATE_TEXT + ": the adapter counted " + a.eventsHandled()
                        + " events of " + a.eventsExpected());
            }
        }
    },
    TIMER_CANCEL("timer-cancel", 2) {
        @Override
        boolean shows(Failure f) {
            return f.isBugCheck(0xC7)
                    || f.isBugCheck(
                            0xC4,
                            "Nbl_UseAfterFree",
                            "NblPool_FreeWithOutstanding",
                            "TimerObject_UseAfterFree",
                            "TimerObject_Leak");
        }

        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, RaceDriver.timerCancel(variant)::driverEntry);
        }
    },
    MISSING_SET_EVENT("missing-set-event", 1) {
        @Override
        boolean shows(Failure f) {
            return f.isBugCheck(0x7C) // threaded: NDIS's watchdog stops the machine in the hung halt
                    || f.kind() == Failure.Kind.DEADLOCK
                            && f.text()
                                    .matches(
                                            "(?s).*\\n  K1/D0 +PASSIVE +driver missing-set-event waits for NdisWaitEvent on EV#\\d+ .*");
        }

        @Override
        void run(Kernel kernel, Variant variant) {
            addAndRemove(kernel, RaceDriver.missingSetEvent(variant)::driverEntry);
        }
    };

    /** Receive interrupts the lost-update scenario's device raises while the link work item runs. */
    static final int RECEIVE_BURSTS = 2;

    final String id;
    /** The processors of the scenario's machine: two where the race needs a DPC beside PASSIVE code. */
    final int processors;

    Race(String id, int processors) {
        this.id = id;
        this.processors = processors;
    }

    /** Whether {@code failure} is this race's own failure (and not some other bug of the scenario). */
    abstract boolean shows(Failure failure);

    /** One schedule of the scenario on {@code kernel}; the oracle throws AssertionError. */
    abstract void run(Kernel kernel, Variant variant);

    /** Loads the driver, adds a race device, removes it: the race is in halt. */
    void addAndRemove(Kernel kernel, DriverEntry entry) {
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(pnp.loadDriver(id, entry), new RaceDevice(id + "0").resources());
        pnp.removeDevice(adapter);
    }

    /** The kernel the scenario boots: the race's processors, one worker per queue, {@code scheduling}. */
    KernelConfig config(KernelConfig.Scheduling scheduling) {
        return KernelConfig.defaults()
                .withName(id)
                .withProcessors(processors)
                .withWorkers(1, 1)
                .withNdisWatchdog(Duration.ofSeconds(5)) // threaded: a hung halt becomes a bug check soon
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
