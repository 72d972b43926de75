/**
 * {@code ndis4j crash FILE}: a crash report (the JSON {@code ndis4j run} writes) explained in the
 * spirit of WinDbg's {@code !analyze -v}: what the stop code means, each parameter for that code,
 * the rule broken, the driver's frames first, where leaked objects were made.
 */
package org.ndis4j.tools.crash;
