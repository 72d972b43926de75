/**
 * The base NDIS types every other part of the NDIS API builds on: the opaque handles a driver holds
 * and passes back ({@code NdisHandle} and its kinds), {@code NdisStatus}, link state, status
 * indications, the driver object and the callbacks that need nothing else ({@code DriverEntry},
 * {@code IoWorkItemRoutine}, {@code NdisTimerFunction}). NDIS's engine implements the handles; this
 * package depends only on {@code org.ndis4j.kernel}.
 */
package org.ndis4j.ndis.types;
