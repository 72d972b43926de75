package org.ndis4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules only the source shows: bytecode cannot tell an import from a fully qualified name. */
class SourceRulesTest {

    /** A fully qualified ndis4j class name: packages in lower case, then a type. */
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.ndis4j(\\.[a-z][a-z0-9_]*)+\\.[A-Z]");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");

    @Test
    void noFullyQualifiedNdis4jNameOutsideImports() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources = javaSources();
        for (Path file : sources) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ") || line.startsWith("package ")) {
                    continue;
                }
                // A class name in a string is data (a logger, a rule's package pattern), not a dodged import.
                if (QUALIFIED
                        .matcher(STRING_LITERAL.matcher(line).replaceAll("\"\""))
                        .find()) {
                    found.add(Codebase.ROOT.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(sources).as("Java sources under %s", Codebase.ROOT).hasSizeGreaterThan(100);
        assertThat(found)
                .as("fully qualified org.ndis4j names in code or comments: import the class instead")
                .isEmpty();
    }

    static List<Path> javaSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : Codebase.moduleDirectories()) {
            sources.addAll(javaFiles(Codebase.ROOT.resolve(module).resolve("src")));
        }
        sources.addAll(javaFiles(Codebase.ROOT.resolve("architecture").resolve("src")));
        return sources;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
