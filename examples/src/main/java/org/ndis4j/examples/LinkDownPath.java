package org.ndis4j.examples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ndis4j.examples.ipstack.LinkEvent;
import org.ndis4j.examples.vlanfilter.VlanFilterModule;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelStatistics;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * Records how a link change travels through one host, step by step, each with the IRQL and thread it
 * ran on: vmini's ISR and DPC, its link work item, NdisMIndicateStatusEx, the filter's FilterStatus
 * and ipstack's ProtocolStatusEx. The kernel's routine observer supplies the first three, the
 * adapter's status listener the fourth, the filter and ipstack what they saw.
 */
final class LinkDownPath {

    private record Step(long nanos, String line) {}

    private final IpHost host;
    private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
    private volatile boolean recording;

    LinkDownPath(IpHost host) {
        this.host = host;
        Kernel kernel = host.kernel();
        AdapterView.of(host.adapter()).addStatusListener(indication -> {
            if (recording && indication.statusCode() == NdisStatus.LINK_STATE) {
                NdisLinkState state = (NdisLinkState) indication.statusBuffer();
                add(
                        kernel.nanoTime(),
                        "status",
                        "NdisMIndicateStatusEx(NDIS_STATUS_LINK_STATE "
                                + indication.statusCode().hex() + ", "
                                + (state.isConnected() ? "connected" : "disconnected")
                                + ")",
                        Ke.getCurrentIrql().toString(),
                        Thread.currentThread().getName());
            }
        });
    }

    /** Starts recording vmini's routines and the indications. */
    void start() {
        steps.clear();
        recording = true;
        host.kernel().statistics().observe(routine -> {
            if ("vmini".equals(routine.driver())) {
                add(
                        routine.nanos(),
                        label(routine.kind()),
                        describe(routine.kind()),
                        routine.irql().toString(),
                        routine.thread());
            }
        });
    }

    /** Stops, and adds what the filter and ipstack saw. */
    List<String> finish(LinkEvent ipstack) {
        recording = false;
        host.kernel().statistics().observe(null);
        VlanFilterModule.StatusPassed filter =
                host.filter().map(VlanFilterModule::lastStatus).orElse(null);
        if (filter != null) {
            add(
                    ipstack.interruptTime() * 100 - 1,
                    "filter",
                    "vlanfilter's FilterStatus passed it up",
                    filter.irql().toString(),
                    filter.thread());
        }
        add(
                ipstack.interruptTime() * 100,
                "protocol",
                "ipstack's ProtocolStatusEx: link " + (ipstack.connected() ? "up" : "down"),
                ipstack.irql().toString(),
                ipstack.thread());
        List<Step> ordered = new ArrayList<>(steps);
        ordered.sort(Comparator.comparingLong(Step::nanos));
        List<String> lines = new ArrayList<>();
        for (Step step : ordered) {
            lines.add(step.line());
        }
        return lines;
    }

    private static String label(KernelStatistics.RoutineKind kind) {
        return switch (kind) {
            case ISR -> "interrupt";
            case DPC -> "DPC";
            case WORK_ITEM -> "work item";
        };
    }

    private static String describe(KernelStatistics.RoutineKind kind) {
        return switch (kind) {
            case ISR -> "vmini's MiniportInterrupt: the NIC raised its line; reads the cause, queues its DPC";
            case DPC -> "vmini's MiniportInterruptDPC: a link change: queues the link work item";
            case WORK_ITEM -> "vmini's link work item: reads the PHY (it may wait: PASSIVE_LEVEL)";
        };
    }

    private void add(long nanos, String what, String text, String irql, String thread) {
        steps.add(new Step(nanos, String.format(Locale.ROOT, "  %-10s %-15s %-28s %s", what, irql, thread, text)));
    }
}
