package org.ndis4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every module's compiled classes, read from its {@code target/} directory, and which module each
 * class belongs to. The module table says which modules a module may depend on: the direction
 * tools → examples → virtual-nic → sdk, benchmarks may use any, and the testcontainers module none. A module directory the table does not name fails the build: decide its place
 * first.
 */
final class Codebase {

    /** The repository: this module's parent directory. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Any module at all (benchmarks measure everything). */
    static final Set<String> ANY = Set.of("*");

    /** Module directory → the modules its classes may depend on (itself included). */
    static final Map<String, Set<String>> MAY_DEPEND_ON = Map.of(
            "sdk", Set.of("sdk"),
            "virtual-nic", Set.of("virtual-nic", "sdk"),
            "examples", Set.of("examples", "virtual-nic", "sdk"),
            "tools", Set.of("tools", "examples", "virtual-nic", "sdk"),
            "benchmarks", ANY,
            // No classes: the BOM is a pom, the archetype's Java files are templates for a user's project.
            "bom", Set.of("bom"),
            "archetype", Set.of("archetype"),
            "testcontainers", Set.of("testcontainers"));

    /** Modules that must have been built before these tests run. */
    static final List<String> REQUIRED =
            List.of("sdk", "virtual-nic", "examples", "tools", "benchmarks", "testcontainers");

    private static final Map<String, String> MODULE_OF_CLASS = new HashMap<>();

    /** Main classes of every module. */
    static final JavaClasses PRODUCTION = load("target/classes");

    /** Test classes of every module. */
    static final JavaClasses TESTS = load("target/test-classes");

    private Codebase() {}

    /** The module {@code c} was compiled in, or null for a class outside this repository. */
    static String moduleOf(JavaClass c) {
        return MODULE_OF_CLASS.get(c.getName());
    }

    static boolean mayDependOn(String from, String to) {
        Set<String> allowed = MAY_DEPEND_ON.get(from);
        return allowed == ANY || allowed.contains(to);
    }

    /** The module directories of the repository, except this one. */
    static List<String> moduleDirectories() {
        try (Stream<Path> children = Files.list(ROOT)) {
            return children.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> d.getFileName().toString())
                    .filter(name -> !name.equals("architecture"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaClasses load(String output) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String module : moduleDirectories()) {
            Path dir = ROOT.resolve(module).resolve(output);
            if (Files.isDirectory(dir)) {
                dirs.put(module, dir);
            }
        }
        JavaClasses classes = new ClassFileImporter().importPaths(dirs.values());
        for (JavaClass c : classes) {
            String path = c.getSource().orElseThrow().getUri().getPath();
            dirs.forEach((module, dir) -> {
                if (path.startsWith(dir.toUri().getPath())) {
                    MODULE_OF_CLASS.put(c.getName(), module);
                }
            });
        }
        return classes;
    }

    /** Fails when a module was not built (the rules would pass on nothing) or has no place in the table. */
    static void checkComplete() {
        assertThat(MAY_DEPEND_ON.keySet())
                .as("every module directory has a place in Codebase.MAY_DEPEND_ON")
                .containsAll(moduleDirectories());
        for (String module : REQUIRED) {
            assertThat(PRODUCTION.stream().filter(c -> module.equals(moduleOf(c))))
                    .as("classes of module %s (built before the architecture tests)", module)
                    .isNotEmpty();
        }
    }
}
