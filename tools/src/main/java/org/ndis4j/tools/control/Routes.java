package org.ndis4j.tools.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table of a {@link ControlServer}: method and path pattern to handler. A pattern is a
 * path whose segments may be {@code {name}} placeholders ({@code /ports/{n}/down}); the first route
 * that matches wins. A handler returns the response body, which is written as JSON (a Jackson tree,
 * a record, a map, a list...).
 */
public final class Routes {

    /** Answers one request; runs on the control endpoint's own thread, so it may block briefly. */
    @FunctionalInterface
    public interface Handler {
        Object handle(ControlRequest request);
    }

    /** One route, as listed by {@code GET /}. */
    public record Route(String method, String pattern, String description, Handler handler) {
        /** The path parameters when {@code path} matches this route's pattern, else null. */
        Map<String, String> match(String path) {
            String[] want = split(pattern);
            String[] got = split(path);
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return null;
                }
            }
            return parameters;
        }

        private static String[] split(String path) {
            String trimmed = path.replaceAll("^/+|/+$", "");
            return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes get(String pattern, String description, Handler handler) {
        return add("GET", pattern, description, handler);
    }

    public Routes post(String pattern, String description, Handler handler) {
        return add("POST", pattern, description, handler);
    }

    public Routes add(String method, String pattern, String description, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        routes.add(new Route(method, pattern, description, handler));
        return this;
    }

    /** Every route, in the order registered. */
    public List<Route> list() {
        return Collections.unmodifiableList(routes);
    }

    /** The routes whose pattern matches {@code path}, whatever their method (for 405 answers). */
    List<Route> matching(String path) {
        return routes.stream().filter(r -> r.match(path) != null).toList();
    }
}
