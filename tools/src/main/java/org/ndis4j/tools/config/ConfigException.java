package org.ndis4j.tools.config;

/**
 * What is wrong with a configuration file, and where: {@code run.json:7:25: adapters[0].keywords.*JumboPaket:
 * not a standardized keyword (did you mean *JumboPacket?)}. Exit status 2 (usage or configuration).
 */
public final class ConfigException extends RuntimeException {

    private final String file;
    private final String path;
    private final int line;
    private final int column;
    private final String reason;

    ConfigException(String file, String path, int line, int column, String reason) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
        this.file = file;
        this.path = path;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** The key path, as {@code adapters[0].keywords.*JumboPacket} ("" for the file as a whole). */
    public String path() {
        return path;
    }

    /** 1-based; 0 when unknown (the file could not be read). */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
