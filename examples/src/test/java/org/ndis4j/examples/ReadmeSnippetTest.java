package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Writing a driver test" is {@link WritingADriverTest}, compiled and run: its code block
 * must equal the test's source from the line after the marker on, so the snippet cannot rot.
 */
class ReadmeSnippetTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final String SECTION = "## Writing a driver test";
    static final String MARKER = "// README.md, \"Writing a driver test\", shows this file";

    @Test
    void theReadmeShowsTheCompiledDriverTest() throws IOException {
        List<String> test =
                Files.readAllLines(ROOT.resolve("examples/src/test/java/org/ndis4j/examples/WritingADriverTest.java"));
        int marker = indexOfStart(test, MARKER);
        assertThat(marker).as("the marker line in WritingADriverTest.java").isNotNegative();
        List<String> region = test.subList(marker + 1, test.size());

        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        int section = readme.indexOf(SECTION);
        assertThat(section).as("README.md has the section " + SECTION).isNotNegative();
        int open = indexOfStart(readme.subList(section, readme.size()), "```java") + section;
        int close = readme.subList(open + 1, readme.size()).indexOf("```") + open + 1;
        assertThat(readme.subList(open + 1, close))
                .as("README.md's driver test must be WritingADriverTest.java after its marker line")
                .containsExactlyElementsOf(region);
    }

    private static int indexOfStart(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
