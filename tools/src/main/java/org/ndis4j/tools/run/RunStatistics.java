package org.ndis4j.tools.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.OidRequestCounts;
import org.ndis4j.kernel.KernelStatistics;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.nic.Statistics;
import org.ndis4j.nic.regs.StatisticsCounter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run has done so far: per adapter the NIC's frames and drops, the OID requests NDIS saw
 * and ipstack's drops, and the kernel's interrupts, DPCs and work items. One line of text, one NDJSON object, or the control
 * endpoint's {@code /statistics}.
 */
public final class RunStatistics {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RunStatistics() {}

    /** The numbers, as a JSON-ready map. */
    public static Map<String, Object> of(RunHost host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        List<Map<String, Object>> adapters = new ArrayList<>();
        for (RunHost.Adapter a : host.adapters()) {
            Statistics nic = a.nic().statistics();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", a.config().name());
            s.put("state", AdapterView.of(a.handle()).state().name());
            s.put("link", AdapterView.of(a.handle()).linkState().isConnected() ? "up" : "down");
            s.put("rxFrames", nic.get(StatisticsCounter.RX_FRAMES));
            s.put("txFrames", nic.get(StatisticsCounter.TX_FRAMES));
            s.put("rxBytes", nic.get(StatisticsCounter.RX_BYTES));
            s.put("txBytes", nic.get(StatisticsCounter.TX_BYTES));
            s.put("rxLengthErrors", nic.get(StatisticsCounter.RX_LENGTH_ERRORS));
            s.put("rxNoBuffer", nic.get(StatisticsCounter.RX_NO_BUFFER));
            s.put("rxDropped", nicDrops(nic));
            s.put(
                    "txErrors",
                    nic.get(StatisticsCounter.TX_LENGTH_ERRORS)
                            + nic.get(StatisticsCounter.TX_DMA_ERRORS)
                            + nic.get(StatisticsCounter.TX_NO_CARRIER)
                            + nic.get(StatisticsCounter.TX_FAULT_ERRORS));
            s.put("interruptsRaised", nic.get(StatisticsCounter.INTERRUPTS_RAISED));
            OidRequestCounts oids = AdapterView.of(a.handle()).oidRequests();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("requests", oids.requests());
            o.put("answeredByNdis", oids.answeredByNdis());
            o.put("completedByMiniport", oids.completedByMiniport());
            o.put("failed", oids.failed());
            s.put("oids", o);
            IpInterface ip = host.ip(a.config().name());
            if (ip != null) {
                s.put("ip", ip.config().toString());
                s.put("ipDrops", ip.statistics().drops());
            }
            adapters.add(s);
        }
        m.put("adapters", adapters);
        KernelStatistics k = host.kernel().statistics();
        Map<String, Object> kernel = new LinkedHashMap<>();
        kernel.put("interrupts", k.interruptServiceRoutines());
        kernel.put("dpcs", k.deferredProcedureCalls());
        kernel.put(
                "workItems",
                k.workItems(WorkQueueType.CriticalWorkQueue) + k.workItems(WorkQueueType.DelayedWorkQueue));
        m.put("kernel", kernel);
        return m;
    }

    /** Frames the NIC received and threw away: too long or short, no buffer, DMA, injected. */
    static long nicDrops(Statistics nic) {
        return nic.get(StatisticsCounter.RX_LENGTH_ERRORS)
                + nic.get(StatisticsCounter.RX_NO_BUFFER)
                + nic.get(StatisticsCounter.RX_BUFFER_TOO_SMALL)
                + nic.get(StatisticsCounter.RX_DMA_ERRORS)
                + nic.get(StatisticsCounter.RX_FAULT_DROPS);
    }

    /** One NDJSON line. */
    public static String json(RunHost host) {
        return JSON.writeValueAsString(of(host));
    }

    /**
     * One line of text: {@code vnic0 Running link up: rx 12 tx 12 frames, 1 dropped (1 too long or
     * short), OIDs 9 (2 by NDIS, 7 by the miniport, 0 failed); kernel: 30 interrupts, 30 DPCs, 2 work
     * items}.
     */
    @SuppressWarnings("unchecked")
    public static String line(RunHost host) {
        Map<String, Object> m = of(host);
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> a : (List<Map<String, Object>>) m.get("adapters")) {
            b.append(a.get("name"))
                    .append(' ')
                    .append(a.get("state"))
                    .append(" link ")
                    .append(a.get("link"))
                    .append(": rx ")
                    .append(a.get("rxFrames"))
                    .append(" tx ")
                    .append(a.get("txFrames"))
                    .append(" frames, ")
                    .append(a.get("rxDropped"))
                    .append(" dropped (")
                    .append(a.get("rxLengthErrors"))
                    .append(" too long or short)");
            Map<String, Object> o = (Map<String, Object>) a.get("oids");
            b.append(", OIDs ")
                    .append(o.get("requests"))
                    .append(" (")
                    .append(o.get("answeredByNdis"))
                    .append(" by NDIS, ")
                    .append(o.get("completedByMiniport"))
                    .append(" by the miniport, ")
                    .append(o.get("failed"))
                    .append(" failed)");
            if (a.containsKey("ipDrops")) {
                b.append(", ipstack dropped ").append(a.get("ipDrops"));
            }
            b.append("; ");
        }
        Map<String, Object> k = (Map<String, Object>) m.get("kernel");
        b.append("kernel: ")
                .append(k.get("interrupts"))
                .append(" interrupts, ")
                .append(k.get("dpcs"))
                .append(" DPCs, ")
                .append(k.get("workItems"))
                .append(" work items");
        return b.toString();
    }
}
