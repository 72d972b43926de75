package org.ndis4j.testcontainers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The ndis4j image as the tests use it: built once per test JVM from the repository's Dockerfile
 * and the tools jar {@code package} made, on {@code NDIS4J_BASE_IMAGE} when set (CI's local JRE 17
 * image, see scripts/docker-ci.sh), else the Dockerfile's default base. Removed when the JVM exits.
 */
final class Ndis4jImage {

    /** A fixed name: without Ryuk nothing else would find and remove it. */
    static final String NAME = "ndis4j-it:latest";

    static final Path REPOSITORY = Path.of(System.getProperty("ndis4j.repository", ".."))
            .toAbsolutePath()
            .normalize();

    private static ImageFromDockerfile image;

    private Ndis4jImage() {}

    static synchronized ImageFromDockerfile get() {
        if (image == null) {
            Path jar = REPOSITORY.resolve("tools/target/ndis4j.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: the Docker tests run after tools is packaged");
            }
            ImageFromDockerfile built = new ImageFromDockerfile(NAME, true)
                    .withDockerfile(REPOSITORY.resolve("Dockerfile"))
                    .withBuildArg("REVISION", "test");
            String base = System.getenv("NDIS4J_BASE_IMAGE");
            if (base != null && !base.isBlank()) {
                built.withBuildArg("BASE_IMAGE", base);
            }
            image = built;
        }
        return image;
    }

    /** A file the build made: the tools jar, the examples' jar. */
    static Path built(String property) {
        Path file = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    property + " = " + file + " is missing: the Docker tests run after the modules are packaged");
        }
        return file;
    }
}
