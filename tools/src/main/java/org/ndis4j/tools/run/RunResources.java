package org.ndis4j.tools.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ndis4j.examples.ipstack.EchoListener;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.tools.control.ControlException;
import org.ndis4j.tools.control.ControlRequest;
import org.ndis4j.tools.control.ControlResource;
import org.ndis4j.tools.control.Routes;

/**
 * What {@code ndis4j run --control} serves on the switch's control endpoint: health with the
 * adapters' states, the statistics, and a ping answered by the running ipstack.
 *
 * <pre>
 * GET  /health                 → {"status":"ok","adapters":[{"name":"vnic0","state":"Running","link":"up",…}]}
 * GET  /statistics             → the statistics line's numbers
 * POST /ping?target=A.B.C.D[&amp;count=N][&amp;size=BYTES][&amp;timeoutMillis=MS][&amp;adapter=NAME]
 *                              → {"target":…,"transmitted":N,"received":N,"rttMillis":[…]}
 * </pre>
 * Status "ok" when every adapter is Running, "starting" before the drivers are up, "degraded" when
 * one is not Running, "crashed" after a bug check (with its headline).
 */
public final class RunResources implements ControlResource {

    /** Set once the drivers are up: the endpoint listens first, so a busy port starts nothing. */
    private volatile RunHost running;

    public void serve(RunHost host) {
        running = host;
    }

    private RunHost host() {
        RunHost host = running;
        if (host == null) {
            throw new ControlException(503, "the drivers are starting");
        }
        return host;
    }

    @Override
    public void register(Routes routes) {
        routes.get("/health", "status ok, starting, degraded or crashed; each adapter's state and link", r -> health())
                .get(
                        "/statistics",
                        "frames, drops, OID requests, interrupts, DPCs, work items",
                        r -> RunStatistics.of(host()))
                .post("/ping", "ICMP echo from the running ipstack: target, count, size, timeoutMillis", this::ping);
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        RunHost host = running;
        if (host == null) {
            m.put("status", "starting");
            return m;
        }
        Optional<CrashReport> crash = host.kernel().crashReport();
        List<Map<String, Object>> adapters = new ArrayList<>();
        boolean allRunning = true;
        for (RunHost.Adapter a : host.adapters()) {
            Map<String, Object> s = new LinkedHashMap<>();
            AdapterView view = AdapterView.of(a.handle());
            s.put("name", a.config().name());
            s.put("state", view.state().name());
            s.put("link", view.linkState().isConnected() ? "up" : "down");
            s.put("mac", a.nic().permanentAddress().toString());
            IpInterface ip = host.ip(a.config().name());
            if (ip != null) {
                s.put("ip", ip.config().toString());
            }
            allRunning &= view.state() == AdapterState.Running;
            adapters.add(s);
        }
        m.put("status", crash.isPresent() ? "crashed" : allRunning ? "ok" : "degraded");
        crash.ifPresent(c -> m.put("bugCheck", c.headline()));
        m.put("adapters", adapters);
        return m;
    }

    private Map<String, Object> ping(ControlRequest r) {
        RunHost host = host();
        IpInterface ip = r.parameters().containsKey("adapter") ? host.ip(r.parameter("adapter")) : host.firstIp();
        if (ip == null) {
            throw new ControlException(
                    409,
                    "no adapter runs ipstack"
                            + (r.parameters().containsKey("adapter") ? " as '" + r.parameter("adapter") + "'" : ""));
        }
        int target;
        try {
            target = Ipv4Address.parse(r.parameter("target"));
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest("target: " + e.getMessage());
        }
        int count = r.parameters().containsKey("count") ? r.intParameter("count", 1, 100) : 1;
        int size = r.parameters().containsKey("size") ? r.intParameter("size", 0, ip.maxEchoData()) : 56;
        int timeoutMillis =
                r.parameters().containsKey("timeoutMillis") ? r.intParameter("timeoutMillis", 1, 10_000) : 1000;
        int identifier = ThreadLocalRandom.current().nextInt(1, 0x10000);
        List<Double> rtts = new ArrayList<>();
        for (int sequence = 1; sequence <= count; sequence++) {
            CompletableFuture<Optional<EchoReply>> reply = new CompletableFuture<>();
            boolean sent =
                    ip.ping(target, identifier, sequence, size, Duration.ofMillis(timeoutMillis), new EchoListener() {
                        @Override
                        public void replied(EchoReply echo) {
                            reply.complete(Optional.of(echo));
                        }

                        @Override
                        public void timedOut(int id, int seq) {
                            reply.complete(Optional.empty());
                        }
                    });
            if (!sent) {
                continue;
            }
            try {
                reply.get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS).ifPresent(e -> rtts.add(e.rttNanos() / 1e6));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlException(503, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                // counted as lost
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", Ipv4Address.format(target));
        m.put("size", size);
        m.put("transmitted", count);
        m.put("received", rtts.size());
        m.put("rttMillis", rtts);
        return m;
    }
}
