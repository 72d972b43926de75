package org.ndis4j.wire;

import java.nio.charset.StandardCharsets;

/**
 * The rules the Linux kernel has for an interface name, checked before anything is opened. A class of
 * its own so that checking a command line's {@code tap:IFNAME} loads neither JNA nor a wire port (and
 * so no logger is made before a command has chosen its log level).
 */
public final class TapInterfaceName {

    /** IFNAMSIZ of {@code <linux/if.h>}: the name and its terminating NUL. */
    static final int IFNAMSIZ = 16;

    private TapInterfaceName() {}

    /**
     * Checks {@code name} as the kernel would: 1..15 bytes, no '/', ':' or white space, not "." or "..".
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void check(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException(
                    "interface name '" + name + "' must be 1.." + (IFNAMSIZ - 1) + " bytes long");
        }
        if (name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c == '/' || c == ':' || c <= ' ')) {
            throw new IllegalArgumentException(
                    "interface name '" + name + "' may not be . or .. or contain '/', ':' or white space");
        }
    }
}
