package org.ndis4j.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ndis4j.tools.control.ControlException;
import org.ndis4j.tools.control.ControlRequest;
import org.ndis4j.tools.control.ControlResource;
import org.ndis4j.tools.control.Routes;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.SwitchStatistics;
import org.ndis4j.wire.VirtualSwitch;

/**
 * What {@code ndis4j switch --control} serves: health, ports with counters and queue gauges, port
 * admin down/up (a cable pull for whatever is plugged into that port), mirror sessions.
 */
final class SwitchResources implements ControlResource {

    /** Set once the switch runs: the endpoint listens first, so a busy control port starts nothing. */
    private volatile VirtualSwitch running;

    void serve(VirtualSwitch sw) {
        running = sw;
    }

    private VirtualSwitch sw() {
        VirtualSwitch sw = running;
        if (sw == null) {
            throw new ControlException(503, "the switch is starting");
        }
        return sw;
    }

    @Override
    public void register(Routes routes) {
        routes.get(
                        "/health",
                        "status ok or degraded (with the problems), listen address, connected ports",
                        r -> health())
                .get(
                        "/ports",
                        "every port: counters, drops by cause, queue gauges; totals of ports that left",
                        r -> SwitchJson.ports(sw().statistics()))
                .get("/ports/{n}", "one port", r -> SwitchJson.port(port(r)))
                .post(
                        "/ports/{n}/down",
                        "administratively down: pulls the cable of port n and keeps it out",
                        r -> setAdmin(r, false))
                .post("/ports/{n}/up", "administratively up: port n takes a connection again", r -> setAdmin(r, true))
                .get(
                        "/mirrors",
                        "mirror sessions: copies delivered and dropped",
                        r -> SwitchJson.mirrors(sw().statistics()));
    }

    private Map<String, Object> health() {
        SwitchStatistics s = sw().statistics();
        List<String> problems = new ArrayList<>();
        if (s.capture() != null && s.capture().failure() != null) {
            problems.add("capture stopped: " + s.capture().failure());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", problems.isEmpty() ? "ok" : "degraded");
        m.put("problems", problems);
        m.put("listen", s.listen());
        m.put("connectedPorts", s.connectedPorts());
        m.put("mirrorSessions", s.mirrors().size());
        if (s.capture() != null) {
            m.put("capture", SwitchJson.capture(s.capture()));
        }
        return m;
    }

    private static int number(ControlRequest r) {
        return r.intParameter("n", 1, SwitchOptions.MAX_PORTS_LIMIT);
    }

    private SwitchPortStatistics port(ControlRequest r) {
        int n = number(r);
        SwitchPortStatistics p = sw().statistics().port(n);
        if (p == null) {
            throw ControlException.notFound("port " + n + " has no connection and is not administratively down");
        }
        return p;
    }

    private Map<String, Object> setAdmin(ControlRequest r, boolean up) {
        int n = number(r);
        sw().setAdminUp(n, up);
        SwitchPortStatistics p = sw().statistics().port(n);
        if (p != null) {
            return SwitchJson.port(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", n);
        m.put("adminUp", true);
        m.put("connected", false);
        return m;
    }
}
