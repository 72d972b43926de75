package org.ndis4j.tools.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.wire.CannotListenException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control endpoint on a real loopback socket with two commands' resources registered side by
 * side (as {@code ndis4j run} will add its own to the same server): routing, path and query
 * parameters, and a JSON error for everything it refuses.
 */
class ControlServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private ControlServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ControlResource... resources) {
        server = ControlServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(resources));
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    @Test
    void routesOfSeveralResourcesWithPathAndQueryParameters() throws Exception {
        ControlResource adapters = routes -> routes.get(
                "/adapters/{name}/statistics",
                "one adapter's counters",
                r -> Map.of(
                        "adapter", r.parameter("name"), "detail", r.parameters().getOrDefault("detail", "none")));
        ControlResource ports = routes -> routes.post(
                "/ports/{n}/down", "pull a cable", r -> Map.of("port", r.intParameter("n", 1, 10), "body", r.body()));
        start(adapters, ports);

        HttpResponse<String> get = send("GET", "/adapters/vmini0/statistics?detail=all", "");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(json(get).get("adapter").asString()).isEqualTo("vmini0");
        assertThat(json(get).get("detail").asString()).isEqualTo("all");

        HttpResponse<String> post = send("POST", "/ports/3/down", "{\"why\":\"test\"}");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(json(post).get("port").asInt()).isEqualTo(3);
        assertThat(json(post).get("body").asString()).isEqualTo("{\"why\":\"test\"}");

        JsonNode list = json(send("GET", "/", ""));
        assertThat(list.findValuesAsString("path"))
                .containsExactly("/", "/adapters/{name}/statistics", "/ports/{n}/down");
    }

    @Test
    void refusalsAreJsonWithTheRightStatus() throws Exception {
        start(routes -> routes.get("/boom", "fails", r -> {
                    throw new IllegalStateException("the handler broke");
                })
                .get("/ports/{n}", "a port", r -> Map.of("n", r.intParameter("n", 1, 10))));

        HttpResponse<String> missing = send("GET", "/nothing/here", "");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asString()).isEqualTo("no such resource: /nothing/here");

        HttpResponse<String> wrongMethod = send("PUT", "/ports/1", "");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");

        HttpResponse<String> bad = send("GET", "/ports/eleven", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asString()).isEqualTo("n must be a number in 1..10, not 'eleven'");

        HttpResponse<String> broken = send("GET", "/boom", "");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(json(broken).get("error").asString()).isEqualTo("the handler broke");

        HttpResponse<String> huge = send("POST", "/ports/1", "x".repeat(ControlServer.MAX_REQUEST_BYTES + 1));
        assertThat(huge.statusCode()).as("a request over the limit").isEqualTo(413);

        HttpResponse<String> fine = send("GET", "/ports/2", "");
        assertThat(fine.statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void anAddressInUseIsACannotListenNamingIt() {
        start();
        InetSocketAddress taken = server.address();
        try {
            ControlServer.start(taken, List.of());
            throw new AssertionError("a second server bound " + taken);
        } catch (CannotListenException e) {
            assertThat(e.getMessage())
                    .isEqualTo("cannot listen for the control endpoint on 127.0.0.1:" + taken.getPort()
                            + ": Address already in use");
        }
    }
}
