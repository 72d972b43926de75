package org.ndis4j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ndis4j.tools.endpoint.HostPort;
import org.ndis4j.wire.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ndis4j health}: asks a control endpoint ({@code ndis4j switch --control} or {@code ndis4j run
 * --control}) for {@code GET /health} and exits 0 when it answers {@code "status": "ok"}, 1 otherwise,
 * after one line that says which. The image's HEALTHCHECK runs it.
 */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = {
            "Asks a control endpoint (ndis4j switch --control, ndis4j run --control) whether it is healthy.",
            "Prints one line; exit status 0 when GET /health answers status ok, 1 otherwise",
            "(degraded, starting, unreachable, no answer in time), 2 on bad usage."
        })
final class HealthCommand implements Callable<Integer> {

    /** The environment variable the image's launcher and HEALTHCHECK use for the control address. */
    static final String CONTROL_VARIABLE = "NDIS4J_CONTROL";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(
            names = "--control",
            paramLabel = "[HOST:]PORT",
            converter = HostPort.LoopbackByDefault.class,
            defaultValue = "${env:" + CONTROL_VARIABLE + "}",
            description = "The control endpoint to ask; a bare PORT means 127.0.0.1:PORT" + " (default: $"
                    + CONTROL_VARIABLE + ").")
    InetSocketAddress control;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "5",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (control == null) {
            throw new ParameterException(
                    spec.commandLine(), "no control endpoint: give --control [HOST:]PORT or set " + CONTROL_VARIABLE);
        }
        if (timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds");
        }
        PrintStream out = System.out;
        URI uri = URI.create("http://" + Transports.format(control) + "/health");
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            response = http.send(
                    HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            return verbosity.fail(
                    System.err, "ndis4j health", new IOException("cannot ask " + uri + ": " + reason(unreachable)), "");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException notJson) {
            return unhealthy(out, uri + " answered HTTP " + response.statusCode() + " with no JSON");
        }
        if (response.statusCode() != 200) {
            String error = body.path("error").asString("");
            return unhealthy(
                    out, uri + " answered HTTP " + response.statusCode() + (error.isEmpty() ? "" : ": " + error));
        }
        String status = body.path("status").asString("");
        if (status.isEmpty()) {
            return unhealthy(out, uri + " answered no status");
        }
        List<String> details = new ArrayList<>();
        body.path("problems").forEach(p -> details.add(p.asString()));
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!field.getKey().equals("status") && field.getValue().isValueNode()) {
                details.add(field.getKey() + " " + field.getValue().asString());
            }
        }
        out.println(status + " (" + uri + ")" + (details.isEmpty() ? "" : ": " + String.join(", ", details)));
        out.flush();
        return status.equals("ok") ? 0 : 1;
    }

    private static int unhealthy(PrintStream out, String why) {
        out.println("unhealthy: " + why);
        out.flush();
        return 1;
    }

    /**
     * Why the endpoint could not be asked, as the operating system says it. The JDK client reports a
     * refused connection as a ConnectException without a message, around a ClosedChannelException.
     */
    private String reason(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + Verbosity.seconds(timeout);
        }
        if (e instanceof ConnectException && e.getMessage() == null) {
            return "Connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
