package org.ndis4j.tools.control;

/**
 * A request the endpoint refuses: answered with {@code status} and {@code {"error": message}}.
 * Handlers throw it for bad input (400), unknown things (404) and the like.
 */
public final class ControlException extends RuntimeException {

    private final int status;

    public ControlException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ControlException notFound(String message) {
        return new ControlException(404, message);
    }

    public static ControlException badRequest(String message) {
        return new ControlException(400, message);
    }
}
