/**
 * vlanfilter: a lightweight NDIS 6 filter driver that counts frames per EtherType in both directions
 * and applies a policy — drop listed EtherTypes, insert and strip an 802.1Q tag — set with a vendor
 * OID and applied at PASSIVE_LEVEL by an I/O work item. One file per concern:
 *
 * <pre>
 *   VlanFilterDriver       DriverEntry (NdisFRegisterFilterDriver), the FilterXxx handlers (they delegate)
 *   VlanFilterModule       FilterAttach / Detach / Pause / Restart, the module context
 *   VlanFilterControlPath  FilterOidRequest: the vendor OIDs, the policy work item
 *   VlanFilterDataPath     sends, send completions, receives, returns
 *   CompiledPolicy, Dot1Q, EtherTypeCounters   the policy's lookup table, 802.1Q tags, the counters
 *   VlanPolicy, VlanFilterStatistics, VlanFilterOids   the OIDs and their payloads (hosts use them too)
 * </pre>
 *
 * See docs/examples.md.
 */
package org.ndis4j.examples.vlanfilter;
