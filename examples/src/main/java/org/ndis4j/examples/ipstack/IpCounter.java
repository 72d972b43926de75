package org.ndis4j.examples.ipstack;

/**
 * What ipstack counts on each binding. Every frame that is not passed on is counted under exactly
 * one drop reason (the constants with {@link #isDrop()}), so that what came in equals what was
 * handled plus what was dropped.
 */
public enum IpCounter {
    FRAMES_RECEIVED("frames received", false),
    FRAMES_SENT("frames handed to NDIS", false),
    SENDS_COMPLETED("sends completed with success", false),
    SEND_FAILURES("sends completed with a failure status", true),
    SEND_NO_RESOURCES("sends refused: too many outstanding, or no NBL", true),
    SEND_LINK_DOWN("sends refused: link down", true),
    SEND_UNBINDING("sends refused: the binding is closing", true),
    RUNTS("frames shorter than an Ethernet header", true),
    OTHER_HOST("frames for another station (promiscuous mode)", true),
    UNKNOWN_ETHERTYPE("frames of another EtherType", true),
    VLAN_TAGGED("802.1Q-tagged frames (no VLAN is configured here)", true),
    ARP_RECEIVED("ARP packets received", false),
    ARP_MALFORMED("ARP packets malformed or not IPv4 over Ethernet", true),
    ARP_NOT_FOR_US("ARP requests for another address", false),
    ARP_REQUESTS_SENT("ARP requests sent", false),
    ARP_REPLIES_SENT("ARP replies sent", false),
    ARP_REPLIES_RECEIVED("ARP replies received", false),
    ARP_GRATUITOUS_SENT("gratuitous ARP announcements sent", false),
    ARP_UNRESOLVED("packets dropped: the next hop never answered ARP", true),
    ARP_QUEUE_FULL("packets dropped: too many waiting for ARP", true),
    IP_RECEIVED("IPv4 packets received", false),
    IP_BAD_HEADER("IPv4 packets with a bad version, header length or total length", true),
    IP_BAD_CHECKSUM("IPv4 headers with a bad checksum", true),
    IP_NOT_FOR_US("IPv4 packets for another address", true),
    IP_FRAGMENTS("IPv4 fragments (not reassembled)", true),
    IP_UNKNOWN_PROTOCOL("IPv4 packets of another protocol", true),
    IP_NO_ROUTE("packets to an address off the link (no router here)", true),
    ICMP_BAD("ICMP messages too short or with a bad checksum", true),
    ICMP_ECHO_REQUESTS_RECEIVED("ICMP echo requests received", false),
    ICMP_ECHO_REPLIES_SENT("ICMP echo replies sent", false),
    ICMP_ECHO_REQUESTS_SENT("ICMP echo requests sent", false),
    ICMP_ECHO_REPLIES_RECEIVED("ICMP echo replies matched to a request", false),
    ICMP_ECHO_UNMATCHED("ICMP echo replies nobody waits for (late or foreign)", true),
    ICMP_ECHO_TIMEOUTS("ICMP echo requests that timed out", false),
    ICMP_OTHER("ICMP messages of other types", true),
    UDP_RECEIVED("UDP datagrams received", false),
    UDP_BAD("UDP datagrams with a bad length or checksum", true),
    UDP_NO_LISTENER("UDP datagrams to a port nobody listens on", true),
    UDP_DELIVERED("UDP datagrams delivered to a listener", false),
    UDP_ECHOED("UDP datagrams echoed (port 7)", false),
    UDP_SENT("UDP datagrams sent", false),
    OIDS_ISSUED("OID requests issued", false),
    OIDS_PENDED("OID requests that returned NDIS_STATUS_PENDING", false),
    OIDS_COMPLETED("OID requests completed", false),
    OIDS_FAILED("OID requests that failed", false),
    LINK_CHANGES("link state indications", false);

    private final String description;
    private final boolean drop;

    IpCounter(String description, boolean drop) {
        this.description = description;
        this.drop = drop;
    }

    public String description() {
        return description;
    }

    /** True for a reason a frame or packet was dropped. */
    public boolean isDrop() {
        return drop;
    }
}
