package org.ndis4j.examples.vlanfilter;

/**
 * A policy made ready for the data path: a lookup table over all 65,536 EtherTypes, so that a frame
 * costs one array read. Building it allocates 64 KiB, which is why a new policy is compiled at
 * PASSIVE_LEVEL in the filter's work item and then published with one volatile write.
 */
final class CompiledPolicy {

    static final CompiledPolicy NONE = compile(VlanPolicy.NONE);

    private final VlanPolicy policy;
    private final boolean[] dropped;
    private final boolean passesEverything;
    private final int vlanId;

    private CompiledPolicy(VlanPolicy policy, boolean[] dropped) {
        this.policy = policy;
        this.dropped = dropped;
        this.vlanId = policy.vlanId();
        this.passesEverything = vlanId == 0 && policy.dropEtherTypes().length == 0;
    }

    static CompiledPolicy compile(VlanPolicy policy) {
        boolean[] dropped = new boolean[1 << 16];
        for (int type : policy.dropEtherTypes()) {
            dropped[type] = true;
        }
        return new CompiledPolicy(policy, dropped);
    }

    VlanPolicy policy() {
        return policy;
    }

    boolean drops(int etherType) {
        return dropped[etherType];
    }

    /** No VLAN and nothing dropped: frames pass untouched (only counted). */
    boolean passesEverything() {
        return passesEverything;
    }

    int vlanId() {
        return vlanId;
    }

    /** The Tag Control Information of inserted tags: PCP, DEI 0, VID. */
    int tci() {
        return policy.priority() << 13 | policy.vlanId();
    }
}
