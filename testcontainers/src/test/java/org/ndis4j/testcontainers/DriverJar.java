package org.ndis4j.testcontainers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** A driver jar as a user's build makes one: the compiled classes of one driver (nested ones included). */
final class DriverJar {

    private DriverJar() {}

    static Path write(Class<?> driver, Path jar) throws IOException {
        Path classes;
        try {
            classes = Path.of(
                    driver.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String binaryName = driver.getName().replace('.', '/');
        Path directory = classes.resolve(binaryName).getParent();
        String simple = driver.getSimpleName();
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.equals(simple + ".class") || name.startsWith(simple + "$");
                    })
                    .sorted()
                    .toList();
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Path file : files) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
