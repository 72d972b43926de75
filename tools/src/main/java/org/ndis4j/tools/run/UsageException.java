package org.ndis4j.tools.run;

/** A run that cannot start as asked (no such class, no miniport, conflicting flags): exit status 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
