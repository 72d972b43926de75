/**
 * The kernel's scheduler seam: kernel threads, run queues, the clock, events and sleeps, and the
 * threaded scheduler behind it. Private to {@code org.ndis4j.kernel}: nothing outside the kernel
 * imports it (the build checks), and nothing here knows the kernel's types, so the two packages
 * form no cycle. The kernel selects the scheduler from {@code KernelConfig.scheduling()}; the rest
 * of ndis4j reaches it only through the kernel's public face ({@code Kernel}, {@code Ke},
 * {@code KEvent}, {@code CurrentThread}).
 */
package org.ndis4j.kernel.internal;
