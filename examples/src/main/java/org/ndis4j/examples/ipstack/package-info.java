/**
 * ipstack: an NDIS 6 protocol driver that speaks IPv4 — ARP, ICMP echo and UDP — over any adapter it
 * is configured for, written against the driver-facing SDK only, one file per concern in the manner
 * of netvmini:
 *
 * <pre>
 *   IpStackDriver   (miniport.c)  DriverEntry (NdisRegisterProtocolDriver), the ProtocolXxx handlers
 *   IpBinding       (adapter.c)   ProtocolBindAdapterEx / UnbindAdapterEx, link state, the timer
 *   IpControlPath   (ctrlpath.c)  the OID requests it issues (packet filter, multicast list), PENDING
 *   IpDataPath      (datapath.c)  NBLs: send, send completion, receive and return
 *   Arp, ArpCache                 address resolution, the cache, gratuitous ARP
 *   Ipv4, Icmp, Udp, Checksum     the protocols and RFC 1071
 *   Ethernet                      framing and padding
 *   IpInterface                   what it offers the code that uses it (ping, UDP, counters, OIDs)
 * </pre>
 *
 * See docs/ipstack.md.
 */
package org.ndis4j.examples.ipstack;
