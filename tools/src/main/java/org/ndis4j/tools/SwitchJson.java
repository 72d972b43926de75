package org.ndis4j.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ndis4j.wire.CaptureStatistics;
import org.ndis4j.wire.DropReason;
import org.ndis4j.wire.FrameError;
import org.ndis4j.wire.MirrorStatistics;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.SwitchStatistics;
import org.ndis4j.wire.TrafficStatistics;

/**
 * The switch's figures as the control endpoint serves them: plain maps in a fixed shape, with every
 * drop cause and error present (zero included) under lowercase names, so that scripts need not
 * guess which keys exist.
 *
 * <pre>
 * {"number": 1, "adminUp": true, "connected": true, "peer": "127.0.0.1:40312",
 *  "rx": {"frames": 10, "bytes": 600}, "tx": {"frames": 9, "bytes": 540},
 *  "drops": {"carrier_down": 0, "backpressure": 1, ...}, "errors": {"zero_length": 0, ...},
 *  "queue": {"frames": 0, "bytes": 0, "peakBytes": 1614, "capacityBytes": 2097152},
 *  "inputPauses": 0}
 * </pre>
 */
final class SwitchJson {

    private SwitchJson() {}

    static Map<String, Object> port(SwitchPortStatistics p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", p.number());
        m.put("adminUp", p.adminUp());
        m.put("connected", p.connected());
        m.put("peer", p.peer());
        m.putAll(traffic(p.traffic()));
        m.put("queue", queue(p.queuedFrames(), p.queuedBytes(), p.queuePeakBytes(), p.queueCapacity()));
        m.put("inputPauses", p.inputPauses());
        return m;
    }

    static Map<String, Object> ports(SwitchStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectedPorts", s.connectedPorts());
        List<Object> ports = new ArrayList<>();
        s.ports().forEach(p -> ports.add(port(p)));
        m.put("ports", ports);
        m.put("departed", traffic(s.departed()));
        m.put("refusedConnections", s.refusedConnections());
        m.put("idleClosed", s.idleClosed());
        return m;
    }

    static Map<String, Object> mirrors(SwitchStatistics s) {
        List<Object> sessions = new ArrayList<>();
        for (MirrorStatistics mirror : s.mirrors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peer", mirror.peer());
            m.putAll(traffic(mirror.traffic()));
            m.put(
                    "queue",
                    queue(
                            mirror.queuedFrames(),
                            mirror.queuedBytes(),
                            mirror.queuePeakBytes(),
                            mirror.queueCapacity()));
            sessions.add(m);
        }
        return Map.of("mirrors", sessions);
    }

    static Map<String, Object> capture(CaptureStatistics c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", c.file());
        m.put("framesWritten", c.framesWritten());
        m.put("framesMissed", c.framesMissed());
        m.put("failure", c.failure());
        return m;
    }

    static Map<String, Object> traffic(TrafficStatistics t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rx", Map.of("frames", t.rxFrames(), "bytes", t.rxBytes()));
        m.put("tx", Map.of("frames", t.txFrames(), "bytes", t.txBytes()));
        Map<String, Long> drops = new LinkedHashMap<>();
        for (DropReason r : DropReason.values()) {
            drops.put(r.name().toLowerCase(Locale.ROOT), t.drops(r));
        }
        m.put("drops", drops);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (FrameError e : FrameError.values()) {
            errors.put(e.name().toLowerCase(Locale.ROOT), t.errors(e));
        }
        m.put("errors", errors);
        return m;
    }

    private static Map<String, Object> queue(long frames, long bytes, long peak, long capacity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("bytes", bytes);
        m.put("peakBytes", peak);
        m.put("capacityBytes", capacity);
        return m;
    }
}
