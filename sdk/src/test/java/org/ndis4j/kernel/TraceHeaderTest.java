package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's header names the build that made it: the ndis4j version (Maven's resource filtering)
 * and, in a git checkout, the commit (git, at build time) — so a trace from CI says which code it
 * replays against.
 */
class TraceHeaderTest {

    @TempDir
    Path traces;

    @Test
    void theHeaderNamesTheVersionAndTheCommitOfTheBuild() throws Exception {
        Simulation sim =
                Simulation.start(SimulationOptions.seed("TraceHeaderTest", 0x2a).withTraceDirectory(traces));
        sim.call(() -> null);
        SimulationResult result = sim.finish(new AssertionError("a failing run writes its trace"));

        String header = Files.readAllLines(result.trace()).get(0);

        assertThat(field("ndis4j", header)).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        // The sdk module is built inside this repository's checkout (a worktree's .git is a file).
        boolean gitCheckout = Files.exists(Path.of("..", ".git"));
        assertThat(field("commit", header)).matches(gitCheckout ? "[0-9a-f]{40}" : "unknown");
        assertThat(field("jvm", header)).isEqualTo(Runtime.version().toString());
    }

    private static String field(String name, String json) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }
}
