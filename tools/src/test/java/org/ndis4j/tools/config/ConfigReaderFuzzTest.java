package org.ndis4j.tools.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the run configuration reader: any text is either a configuration or
 * exactly one {@link ConfigException} with a key path and a place inside the text; nothing else is
 * thrown. Regression inputs (seeds and findings) live in
 * {@code src/test/resources/org/ndis4j/tools/config/ConfigReaderFuzzTestInputs/}.
 */
class ConfigReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyTextIsAConfigurationOrOnePreciseError(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            RunConfiguration run = ConfigReader.read("fuzz.json", Path.of("."), text);
            assertThat(run.kernel()).isNotNull();
            assertThat(run.adapters()).hasSizeLessThanOrEqualTo(ConfigReader.MAX_ADAPTERS);
        } catch (ConfigException e) {
            long lines = text.lines().count();
            assertThat(e.line()).as(e.getMessage()).isBetween(0, (int) Math.max(1, lines + 1));
            assertThat(e.getMessage()).startsWith("fuzz.json");
        }
    }
}
