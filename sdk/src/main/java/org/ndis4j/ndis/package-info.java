/**
 * The NDIS entry points a driver calls, WDK name for name: {@code Ndis} (NdisXxx), {@code NdisM}
 * (NdisMXxx) and {@code NdisF} (NdisFXxx). Each checks the IRQL its WDK page gives, resolves its
 * handle arguments to NDIS's objects and hands over to NDIS's engine. The mapping, one row per
 * function, is docs/api-mapping.md; the build keeps the two in step.
 */
package org.ndis4j.ndis;
