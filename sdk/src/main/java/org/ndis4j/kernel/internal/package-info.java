/**
 * The kernel's machinery: threads, the scheduler seam, processors, worker pools. Internal: drivers
 * never call it, and it may change without notice. Drivers use {@code Ke}, {@code Ndis},
 * {@code NdisM} and the handles they return.
 */
package org.ndis4j.kernel.internal;
