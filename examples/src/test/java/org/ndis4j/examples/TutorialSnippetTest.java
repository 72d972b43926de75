package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial.md shows real code only: every {@code java} block there is preceded by a line
 * {@code <!-- source: PATH -->} and is cut from that file. Lines {@code // ...} mark what the block
 * leaves out; each run of lines between them must appear in the file, in order, line for line (white
 * space at the ends of lines aside). The test step's block is {@link FirstMiniportTest} whole, from
 * its marker line on. So the tutorial cannot rot: change the driver, and this test says which block
 * to update.
 */
class TutorialSnippetTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path TUTORIAL = ROOT.resolve("docs/tutorial.md");
    static final Pattern SOURCE = Pattern.compile("^<!-- source: (\\S+) -->$");
    static final String ELISION = "// ...";

    record Block(int line, Path source, List<String> lines) {}

    @Test
    void everyJavaBlockIsCutFromTheFileItNames() throws IOException {
        List<Block> blocks = blocks(Files.readAllLines(TUTORIAL));
        assertThat(blocks).as("java blocks in docs/tutorial.md").hasSizeGreaterThanOrEqualTo(9);
        for (Block b : blocks) {
            assertThat(b.source())
                    .as("tutorial.md line " + b.line() + " names a file")
                    .isRegularFile();
            List<String> file = stripped(Files.readAllLines(b.source()));
            int from = 0;
            for (List<String> chunk : chunks(b.lines())) {
                int at = indexOf(file, chunk, from);
                assertThat(at)
                        .as(
                                "tutorial.md line %d: these lines, in order, in %s:%n%s",
                                b.line(), ROOT.relativize(b.source()), String.join("\n", chunk))
                        .isNotNegative();
                from = at + chunk.size();
            }
        }
    }

    @Test
    void theTestStepIsTheWholeCompiledTest() throws IOException {
        Path test = ROOT.resolve("examples/src/test/java/org/ndis4j/examples/FirstMiniportTest.java");
        List<String> lines = Files.readAllLines(test);
        int marker = 0;
        while (!lines.get(marker).startsWith("// docs/tutorial.md")) {
            marker++;
        }
        List<String> region = lines.subList(marker + 1, lines.size());
        Block shown = blocks(Files.readAllLines(TUTORIAL)).stream()
                .filter(b -> b.source().equals(test))
                .findFirst()
                .orElseThrow(() -> new AssertionError("tutorial.md shows no block of " + test));
        assertThat(shown.lines())
                .as("the test step shows FirstMiniportTest whole")
                .containsExactlyElementsOf(region);
    }

    private static List<Block> blocks(List<String> doc) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < doc.size(); i++) {
            if (!doc.get(i).equals("```java")) {
                continue;
            }
            Matcher m = i > 0 ? SOURCE.matcher(doc.get(i - 1)) : null;
            assertThat(m != null && m.matches())
                    .as("tutorial.md line %d: a java block needs <!-- source: PATH --> on the line before", i + 1)
                    .isTrue();
            int end = doc.subList(i + 1, doc.size()).indexOf("```") + i + 1;
            blocks.add(new Block(i + 1, ROOT.resolve(m.group(1)), List.copyOf(doc.subList(i + 1, end))));
            i = end;
        }
        return blocks;
    }

    private static List<List<String>> chunks(List<String> block) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : stripped(block)) {
            if (line.equals(ELISION)) {
                if (!current.isEmpty()) {
                    chunks.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).toList();
    }

    private static int indexOf(List<String> file, List<String> chunk, int from) {
        for (int i = from; i + chunk.size() <= file.size(); i++) {
            if (file.subList(i, i + chunk.size()).equals(chunk)) {
                return i;
            }
        }
        return -1;
    }
}
