package org.ndis4j.tools.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.ndis4j.kernel.CrashReport;

/**
 * Where a run's crash report goes: {@code DIR/ndis4j-crash-<UTC time>-<pid>.json}, the report's JSON
 * ({@code CrashReport.toJson}), written to a new file (never over another, never through a symlink),
 * for {@code ndis4j crash FILE}.
 */
public final class CrashFiles {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private CrashFiles() {}

    /** Writes the report into {@code directory} (made if missing) and returns the file. */
    public static Path write(Path directory, CrashReport report) throws IOException {
        Files.createDirectories(directory);
        String base = "ndis4j-crash-" + STAMP.format(report.time()) + "-"
                + ProcessHandle.current().pid();
        Path file = directory.resolve(base + ".json");
        for (int n = 1; Files.exists(file, LinkOption.NOFOLLOW_LINKS); n++) {
            file = directory.resolve(base + "-" + n + ".json");
        }
        Files.writeString(
                file,
                report.toJson() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        return file;
    }
}
