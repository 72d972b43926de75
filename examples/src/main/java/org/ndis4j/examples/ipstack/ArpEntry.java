package org.ndis4j.examples.ipstack;

/**
 * One entry of a binding's ARP cache, as {@code arp -a} shows it.
 *
 * @param address  the IPv4 address
 * @param mac      its hardware address (0 while incomplete)
 * @param state    INCOMPLETE (being resolved), REACHABLE (learned) or STATIC (configured)
 * @param queued   packets waiting for the resolution
 */
public record ArpEntry(int address, long mac, State state, int queued) {

    /** Where an entry stands. */
    public enum State {
        INCOMPLETE,
        REACHABLE,
        STATIC
    }

    @Override
    public String toString() {
        return Ipv4Address.format(address) + " at "
                + (state == State.INCOMPLETE ? "<incomplete>" : Ethernet.formatMac(mac)) + " " + state
                + (queued > 0 ? " (" + queued + " queued)" : "");
    }
}
