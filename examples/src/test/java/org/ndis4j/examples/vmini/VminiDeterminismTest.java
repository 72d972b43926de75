package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ndis4j.kernel.SimulationResult;

/**
 * The same seed gives the same run: the event-log hash of a vmini scenario is equal run twice in
 * this JVM and run in a fresh JVM. A small fixed set in {@code verify}; scripts/det-determinism.sh
 * runs 1,000 seeds the same way.
 */
class VminiDeterminismTest {

    @Test
    void theSameSeedGivesTheSameEventLogTwiceInOneJvmAndInAForkedJvm() throws Exception {
        List<String> here = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            SimulationResult first = VminiDeterminism.run(seed);
            SimulationResult second = VminiDeterminism.run(seed);
            assertThat(first.passed()).as(first.failure()).isTrue();
            assertThat(second.eventLogSha256()).as("seed " + seed + " twice").isEqualTo(first.eventLogSha256());
            here.add(seed + "\t" + first.eventLogSha256() + "\tpass");
        }
        assertThat(here.stream().map(l -> l.split("\t")[1]).distinct().count())
                .as("distinct runs over 6 seeds")
                .isGreaterThan(1);

        Process forked = new ProcessBuilder(
                        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VminiDeterminism.class.getName(),
                        "1",
                        "3")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(forked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(forked.waitFor(120, TimeUnit.SECONDS))
                .as("the forked JVM ended")
                .isTrue();
        assertThat(forked.exitValue()).isZero();
        assertThat(out.lines().toList()).containsExactlyElementsOf(here.subList(0, 3));
    }
}
