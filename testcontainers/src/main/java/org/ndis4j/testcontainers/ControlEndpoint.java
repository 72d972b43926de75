package org.ndis4j.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of an ndis4j control endpoint ({@code ndis4j switch --control}, {@code ndis4j run
 * --control}): JSON over HTTP/1.1. Every answer but 200 becomes a {@link ControlEndpointException}
 * carrying the endpoint's own {@code error} message.
 *
 * <pre>{@code
 * JsonNode routes = endpoint.get("/");          // every route the command serves, with a description
 * JsonNode port = endpoint.get("/ports/2");
 * endpoint.post("/ports/2/down");
 * }</pre>
 */
public final class ControlEndpoint {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;

    /** The endpoint at {@code http://HOST:PORT/}. */
    public ControlEndpoint(URI base) {
        this.base = base;
    }

    public URI uri() {
        return base;
    }

    /** {@code GET path}: the answer's JSON. */
    public JsonNode get(String path) {
        return send("GET", path);
    }

    /** {@code POST path} without a body: the answer's JSON. */
    public JsonNode post(String path) {
        return send("POST", path);
    }

    private JsonNode send(String method, String path) {
        URI uri = base.resolve(path);
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(TIMEOUT)
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + uri + " interrupted", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException notJson) {
            throw new ControlEndpointException(
                    method + " " + uri, response.statusCode(), "not JSON: " + response.body());
        }
        if (response.statusCode() != 200) {
            throw new ControlEndpointException(
                    method + " " + uri,
                    response.statusCode(),
                    body.path("error").asString(response.body()));
        }
        return body;
    }
}
