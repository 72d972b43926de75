package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ndis4j bench} runs as a user runs it. Figures are never asserted (they are measurements);
 * what is checked is that each benchmark runs, reports what it says, and that the output parses.
 */
class BenchCommandTest {

    @Test
    void listsItsBenchmarks() {
        CommandRun run = CommandRun.of("bench", "--list");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("switch-64", "switch-1514", "work-item", "interrupt-dpc");
    }

    @Test
    void aQuickRunPrintsJsonWithEveryResult() {
        CommandRun run = CommandRun.of(
                "bench", "--quick", "--no-references", "--json", "--only", "switch-64,work-item,interrupt-dpc");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(run.out());
        assertThat(report.get("machine").get("processors").asInt()).isPositive();
        JsonNode results = report.get("results");
        assertThat(results.findValuesAsString("subject"))
                .containsExactly(
                        "ndis4j switch",
                        "ndis4j switch --flow-control",
                        "NDIS work item",
                        "ThreadPoolExecutor",
                        "NDIS interrupt → DPC");
        JsonNode forwarding = results.get(0);
        assertThat(forwarding.get("unit").asString()).isEqualTo("Mpps");
        assertThat(forwarding.get("median").asDouble()).isPositive();
        assertThat(forwarding.get("details").get("framesPerRun").asLong()).isEqualTo(200_000);
        for (JsonNode latency : new JsonNode[] {results.get(2), results.get(3), results.get(4)}) {
            assertThat(latency.get("unit").asString()).isEqualTo("µs");
            assertThat(latency.get("median").asDouble()).isPositive();
        }
    }

    @Test
    void theTableHasARowPerSubject() {
        CommandRun run = CommandRun.of("bench", "--quick", "--no-references", "--only", "work-item");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("references: none installed")
                .containsPattern("work-item\\s+NDIS work item\\s+\\S+ µs p50")
                .containsPattern("work-item\\s+ThreadPoolExecutor\\s+\\S+ µs p50");
    }

    @Test
    void anUnknownBenchmarkIsAUsageError() {
        CommandRun run = CommandRun.of("bench", "--only", "warp-drive");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no benchmark named 'warp-drive'; there are switch-64, switch-1514");
    }

    @Test
    void aBurstOutsideOneToSixtyFourIsAUsageError() {
        for (String burst : new String[] {"0", "65"}) {
            CommandRun run = CommandRun.of("bench", "--burst", burst, "--only", "host-udp-64");
            assertThat(run.status()).isEqualTo(2);
            assertThat(run.err()).contains("--burst must be 1..64, not " + burst);
        }
    }
}
