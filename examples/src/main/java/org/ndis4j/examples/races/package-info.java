/**
 * The race corpus: five miniports, each with a race that kills real drivers, each next to its fixed
 * twin ({@code Variant}). All program the same small device
 * ({@code RaceHardware}, the corpus's hardware.h); one driver file
 * ({@code RaceDriver}: DriverEntry and the MiniportXxx handlers, the same for all) and an adapter file
 * per race (initialize, halt, ISR, DPC, work item or timer), netvmini's layout in miniature:
 *
 * <pre>
 *   FreeWhileQueued   halt frees the link work item a DPC queued just before halt's flag
 *                     (0xC4 IoWorkItem_FreeWhileQueued)
 *   HaltFreesPool     the work item clears its "queued" mark once it has its NBL, before freeing it, so
 *                     halt does not wait and frees the NBL pool under it (0xC4 NblPool_FreeWithOutstanding)
 *   LostUpdate        a DPC and a work item update one counter, the work item with an NDIS call between
 *                     its read and its write (a lost update)
 *   TimerCancel       NdisCancelTimerObject returns FALSE and halt frees the timer and the pool anyway
 *                     (0xC7, or 0xC4 on the pool or timer)
 *   MissingSetEvent   the work item checks the stopping flag too early and never sets the event halt
 *                     waits for (a deadlock naming K1/D0 in NdisWaitEvent)
 * </pre>
 *
 * The tests (examples' RaceCorpusTest) find each race under the deterministic scheduler from a fixed
 * seed and run each twin clean; scripts/det-campaign.sh measures them. See docs/deterministic.md,
 * "Race corpus", and docs/examples.md.
 */
package org.ndis4j.examples.races;
