package org.ndis4j.examples.linkflap;

import org.ndis4j.kernel.Ke;

/**
 * What the link-flap example prints, the driver and its demo alike: each line says which thread and
 * IRQL it came from.
 */
public final class Console {

    private Console() {}

    public static void say(String format, Object... args) {
        String line = String.format(
                "[%-28s %-14s] %s", Thread.currentThread().getName(), Ke.getCurrentIrql(), String.format(format, args));
        synchronized (System.out) {
            System.out.println(line);
        }
    }
}
