package org.ndis4j.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the control endpoint, as a script would be: plain HTTP, JSON back. */
final class Control {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;

    Control(String url) {
        this.base = URI.create(url);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), 200);
    }

    JsonNode post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    /** The response to {@code method path}, which must have {@code status}. */
    JsonNode send(String method, String path, int status) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()), status);
    }

    private JsonNode send(HttpRequest.Builder request, int status) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new AssertionError("HTTP " + r.statusCode() + " (expected " + status + "): " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The port numbered {@code n} in {@code GET /ports}, or null. */
    JsonNode port(int n) throws IOException, InterruptedException {
        for (JsonNode p : get("/ports").get("ports")) {
            if (p.get("number").asInt() == n) {
                return p;
            }
        }
        return null;
    }
}
