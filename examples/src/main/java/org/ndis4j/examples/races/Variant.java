package org.ndis4j.examples.races;

/**
 * Which version of a corpus driver to load: the one with the race, or its fixed twin. Each driver
 * keeps both side by side, so the fix is read next to the bug.
 */
public enum Variant {
    /** The driver as it was written, with the race. */
    RACY,
    /** The same driver with the race fixed. */
    FIXED
}
