package org.ndis4j.examples.vlanfilter;

/**
 * The filter's vendor OIDs. Vendor-specific OIDs have the high byte 0xFF (ntddndis.h reserves it
 * for them); the filter answers these itself in FilterOidRequest and passes every other OID down.
 *
 * <pre>
 *   OID_VLANFILTER_POLICY      0xFF4E0001  query: the policy now (40 bytes, {@link VlanPolicy})
 *                                           set:   a new policy; pends, applied at PASSIVE_LEVEL by an I/O work item
 *   OID_VLANFILTER_STATISTICS  0xFF4E0002  query: frames per EtherType both ways and drops ({@link VlanFilterStatistics})
 * </pre>
 */
public final class VlanFilterOids {

    public static final int OID_VLANFILTER_POLICY = 0xFF4E_0001;
    public static final int OID_VLANFILTER_STATISTICS = 0xFF4E_0002;

    private VlanFilterOids() {}
}
