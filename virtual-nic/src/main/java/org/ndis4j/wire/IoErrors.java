package org.ndis4j.wire;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's reason for an I/O failure, as one short phrase for a one-line error
 * ({@code Address already in use}, {@code Permission denied}, {@code Is a directory}): Java and
 * Netty wrap it in exception types and messages that say less, or more, than a user needs.
 */
public final class IoErrors {

    private IoErrors() {}

    /** The reason behind {@code failure}, without the exception's type or the file name. */
    public static String reason(Throwable failure) {
        if (failure instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (failure instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (failure instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (failure instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (failure instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        // Netty's native errors read "bind(..) failed with error(-98): Address already in use".
        int colon = message.lastIndexOf(": ");
        return message.contains("failed") && colon >= 0 ? message.substring(colon + 2) : message;
    }
}
