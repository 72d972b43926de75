package org.ndis4j.examples;

import org.ndis4j.kernel.Ke;

/** What the examples print: each line says which thread and IRQL it came from. */
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
