package org.ndis4j.testcontainers;

/** A control endpoint's refusal: its HTTP status and its {@code error} message. */
public final class ControlEndpointException extends RuntimeException {

    private final int status;

    ControlEndpointException(String request, int status, String error) {
        super(request + " answered HTTP " + status + ": " + error);
        this.status = status;
    }

    /** The HTTP status: 400 bad input, 404 no such thing, 503 still starting... */
    public int status() {
        return status;
    }
}
