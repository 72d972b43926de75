package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.SwitchedHosts.A_IP;
import static org.ndis4j.examples.SwitchedHosts.B_IP;
import static org.ndis4j.examples.SwitchedHosts.B_PORT;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.LinkEvent;
import org.ndis4j.examples.vlanfilter.VlanFilterModule;
import org.ndis4j.examples.vlanfilter.VlanPolicy;
import org.ndis4j.examples.vmini.VminiProbe;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.WirePeer;

/**
 * Two hosts — virtual NIC, vmini, vlanfilter and ipstack each, on kernels of their own — through the
 * virtual switch over loopback TCP: they ping each other, a pulled switch port reaches ipstack through
 * vmini's work item, a pended OID changes what the NIC receives, the filter's OID changes what
 * passes, and a halt in the middle of traffic leaves nothing outstanding.
 */
@ExtendWith(KernelExtension.class)
class TwoHostsSwitchIT {

    SwitchedHosts hosts;

    @BeforeEach
    void plugIn(Kernel a, Kernel b) {
        hosts = new SwitchedHosts(a, b, SwitchOptions.DEFAULTS);
    }

    @AfterEach
    void unplug() {
        if (hosts != null) {
            hosts.close();
        }
    }

    static EchoReply ping(IpHost from, int to, int sequence, Duration timeout) throws Exception {
        return from.ping(to, 0x0a0a, sequence, 56, timeout).get().orElse(null);
    }

    @Test
    void twoHostsPingEachOther() throws Exception {
        for (int seq = 1; seq <= 3; seq++) {
            EchoReply reply = ping(hosts.a, B_IP, seq, Duration.ofSeconds(5));
            assertThat(reply).as("reply %d from B", seq).isNotNull();
            assertThat(reply.sequence()).isEqualTo(seq);
            assertThat(reply.ttl()).isEqualTo(64);
            assertThat(reply.icmpLength()).isEqualTo(64);
            assertThat(reply.intact()).isTrue();
        }
        EchoReply back = ping(hosts.b, A_IP, 1, Duration.ofSeconds(5));
        assertThat(back).isNotNull();
        assertThat(back.source()).isEqualTo(A_IP);
        assertThat(hosts.b.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                .isEqualTo(3);
        assertThat(hosts.a.ip().statistics().drops()).isZero();
        assertThat(hosts.b.ip().statistics().drops()).isZero();
    }

    @Test
    void aPulledPortReachesIpstackThroughVminisWorkItemAndPingsResumeAfterAGratuitousArp() throws Exception {
        assertThat(ping(hosts.a, B_IP, 1, Duration.ofSeconds(5))).isNotNull();
        IpInterface b = hosts.b.ip();
        NdisIoWorkItem linkWorkItem = VminiProbe.linkWorkItem(hosts.b.adapter());
        assertThat(linkWorkItem.owner()).isSameAs(hosts.b.adapter());
        assertThat(linkWorkItem.owner().kind()).isEqualTo(HandleKind.MINIPORT_ADAPTER);
        VlanFilterModule filter = hosts.b.filter().orElseThrow();
        int filterIndications = filter.statusIndications();

        hosts.vswitch.setAdminUp(B_PORT, false);
        Await.until("B's link down at ipstack", () -> !b.isLinkUp());
        LinkEvent down = b.linkEvents().get(b.linkEvents().size() - 1);
        assertThat(down.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(down.threadKind()).isEqualTo(ThreadKind.WORKER);
        assertThat(down.thread()).contains("CriticalWorkQueue");
        assertThat(filter.statusIndications()).isEqualTo(filterIndications + 1);
        assertThat(ping(hosts.a, B_IP, 2, Duration.ofMillis(500)))
                .as("a ping while B is unplugged")
                .isNull();

        long announced = b.statistics().get(IpCounter.ARP_GRATUITOUS_SENT);
        hosts.vswitch.setAdminUp(B_PORT, true);
        Await.until("B's link up at ipstack", b::isLinkUp);
        Await.until("B's gratuitous ARP", () -> b.statistics().get(IpCounter.ARP_GRATUITOUS_SENT) == announced + 1);
        LinkEvent up = b.linkEvents().get(b.linkEvents().size() - 1);
        assertThat(up.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(up.thread()).contains("CriticalWorkQueue");
        assertThat(ping(hosts.a, B_IP, 3, Duration.ofSeconds(5)))
                .as("a ping once B is back")
                .isNotNull();
    }

    @Test
    void aPendedPacketFilterOidChangesWhatTheNicReceives() {
        int ghost = Addresses.ipv4("10.0.0.99");
        long ghostMac = Addresses.mac("02:00:00:00:00:99"); // nobody: the switch floods it to B
        hosts.a.ip().addStaticArpEntry(ghost, ghostMac);
        IpInterface b = hosts.b.ip();

        CompletableFuture<NdisStatus> on = new CompletableFuture<>();
        long pended = b.statistics().get(IpCounter.OIDS_PENDED);
        assertThat(b.setPromiscuous(true, on::complete)).isTrue();
        assertThat(on.join()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(b.statistics().get(IpCounter.OIDS_PENDED)).isEqualTo(pended + 1);
        for (int i = 0; i < 5; i++) {
            hosts.a.ip().sendUdp(ghost, 5000, 9, new byte[32]);
        }
        Await.until("B seeing the ghost's frames", () -> b.statistics().get(IpCounter.OTHER_HOST) == 5);

        CompletableFuture<NdisStatus> off = new CompletableFuture<>();
        assertThat(b.setPromiscuous(false, off::complete)).isTrue();
        assertThat(off.join()).isEqualTo(NdisStatus.SUCCESS);
        long filtered = hosts.b.nic().statistics().get(StatisticsCounter.RX_FILTERED);
        for (int i = 0; i < 5; i++) {
            hosts.a.ip().sendUdp(ghost, 5000, 9, new byte[32]);
        }
        Await.until(
                "B's NIC filtering them",
                () -> hosts.b.nic().statistics().get(StatisticsCounter.RX_FILTERED) == filtered + 5);
        assertThat(b.statistics().get(IpCounter.OTHER_HOST)).isEqualTo(5);
    }

    @Test
    void theFiltersOidChangesWhatPasses() throws Exception {
        assertThat(ping(hosts.a, B_IP, 1, Duration.ofSeconds(5))).isNotNull();
        assertThat(policy(hosts.b.ip(), VlanPolicy.dropping(0x0800))).isEqualTo(NdisStatus.SUCCESS);
        assertThat(ping(hosts.a, B_IP, 2, Duration.ofMillis(500)))
                .as("IPv4 dropped at B")
                .isNull();
        assertThat(hosts.b.filter().orElseThrow().statistics().policyDropsReceive())
                .isEqualTo(1);

        // Both on VLAN 42: tagged on the wire, untagged at each ipstack.
        assertThat(policy(hosts.b.ip(), VlanPolicy.vlan(42))).isEqualTo(NdisStatus.SUCCESS);
        assertThat(policy(hosts.a.ip(), VlanPolicy.vlan(42))).isEqualTo(NdisStatus.SUCCESS);
        assertThat(ping(hosts.a, B_IP, 3, Duration.ofSeconds(5)))
                .as("a ping on VLAN 42")
                .isNotNull();
        try (WirePeer tap = WirePeer.connect(hosts.vswitch.localAddress())) { // port 3 hears broadcasts
            Await.until(
                    "the tap on port 3",
                    () -> hosts.vswitch.ports().size() == 3
                            && hosts.vswitch.ports().get(2).connected());
            hosts.a.ping(Addresses.ipv4("10.0.0.77"), 1, 1, 0, Duration.ofMillis(100));
            Frame arp = tap.awaitFrame("A's ARP request for .77", Frame::isArp);
            assertThat(arp.vlan()).isNotNull();
            assertThat(arp.vlan().id()).isEqualTo(42);
        }
        assertThat(hosts.a.filter().orElseThrow().statistics().tagsInserted()).isPositive();
        assertThat(hosts.b.filter().orElseThrow().statistics().tagsStripped()).isPositive();
    }

    static NdisStatus policy(IpInterface ip, VlanPolicy policy) {
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        assertThat(ip.oidRequest(policy.setRequest(), done::complete)).isTrue();
        return done.join();
    }

    @Test
    void haltingDuringTrafficLeavesNothingOutstanding() throws Exception {
        assertThat(ping(hosts.a, B_IP, 1, Duration.ofSeconds(5))).isNotNull();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sentByA = new AtomicLong();
        AtomicLong sentByB = new AtomicLong();
        Thread fromA = blaster(hosts.a.ip(), B_IP, stop, sentByA);
        Thread fromB = blaster(hosts.b.ip(), A_IP, stop, sentByB);
        Await.until(
                "traffic both ways",
                () -> hosts.b.ip().statistics().get(IpCounter.UDP_ECHOED) > 200
                        && hosts.a.ip().statistics().get(IpCounter.UDP_ECHOED) > 200);

        IpInterface b = hosts.b.ip();
        VlanFilterModule filter = hosts.b.filter().orElseThrow();
        hosts.b.removeDevice(); // while both blast: ipstack unbinds, the filter detaches, vmini halts
        assertThat(b.sendsOutstanding()).isZero();
        assertThat(filter.workItem().isFreed()).isTrue();
        assertThat(hosts.b.memory().allocatedBytes()).as("B's shared memory").isZero();
        assertThat(b.sendUdp(A_IP, 1, 7, new byte[1])).isFalse();

        stop.set(true);
        fromA.join();
        fromB.join();
        IpInterface a = hosts.a.ip();
        Await.until("A's sends completed", () -> a.sendsOutstanding() == 0);
        assertThat(AdapterView.of(hosts.a.adapter()).sendsOutstanding()).isZero();
        // B's last echoes may still be in A's receive indication (its DPC runs on A's NIC loop).
        Await.until(
                "A's received NBLs returned",
                () -> AdapterView.of(hosts.a.adapter()).receivesOutstanding() == 0);
        assertThat(sentByA.get()).isPositive();
        // The verifier checks both halts (work items, timers, pools, shared memory) when the hosts close.
    }

    /** Sends UDP to the echo port as fast as ipstack takes it, until told to stop. */
    private static Thread blaster(IpInterface ip, int to, AtomicBoolean stop, AtomicLong sent) {
        Thread t = new Thread(
                () -> {
                    byte[] payload = new byte[512];
                    while (!stop.get()) {
                        if (ip.sendUdp(to, 40000, 7, payload)) {
                            sent.incrementAndGet();
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                },
                "blaster");
        t.start();
        return t;
    }
}
