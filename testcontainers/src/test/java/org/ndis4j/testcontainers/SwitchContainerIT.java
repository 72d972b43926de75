package org.ndis4j.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testcontainers.InJvmHosts.A_IP;
import static org.ndis4j.testcontainers.InJvmHosts.A_MAC;
import static org.ndis4j.testcontainers.InJvmHosts.B_IP;
import static org.ndis4j.testcontainers.InJvmHosts.B_MAC;
import static org.ndis4j.testcontainers.InJvmHosts.host;
import static org.ndis4j.testcontainers.InJvmHosts.ping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.LinkEvent;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelStatistics.Routine;
import org.ndis4j.kernel.KernelStatistics.RoutineKind;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

/**
 * The switch in a container of the image built from the Dockerfile, two hosts in this JVM plugged
 * into it over loopback TCP (host networking): they ping each other through it; and when the
 * container is stopped in the middle of their traffic, the hosts see the link go down the way a
 * cable pull travels (interrupt, DPC, work item at PASSIVE_LEVEL), and come back on a new container
 * listening on the same port. The kernels' verifier checks every halt, Netty's leak detector every
 * buffer (KernelExtension).
 */
@RequiresDocker
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = InJvmHosts.DPC_WATCHDOG_MILLIS, timeout = InJvmHosts.TEST_TIMEOUT)
class SwitchContainerIT {

    private static final Duration REPLY = Duration.ofSeconds(10);

    @Test
    void twoHostsInThisJvmPingEachOtherThroughTheSwitchContainer(Kernel kernelA, Kernel kernelB, @TempDir Path dir)
            throws Exception {
        try (SwitchContainer sw = new SwitchContainer(Ndis4jImage.get()).withCapture()) {
            sw.start();
            assertThat(sw.wireAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(sw.health().path("status").asString()).isEqualTo("ok");

            try (IpHost a = host(kernelA, "host-a", A_MAC, A_IP, sw.wireAddress())) {
                Await.until("A on port 1", () -> sw.port(1).connected());
                try (IpHost b = host(kernelB, "host-b", B_MAC, B_IP, sw.wireAddress())) {
                    for (int seq = 1; seq <= 3; seq++) {
                        EchoReply reply = ping(a, B_IP, seq, REPLY).orElse(null);
                        assertThat(reply).as("reply %d from B", seq).isNotNull();
                        assertThat(reply.sequence()).isEqualTo(seq);
                        assertThat(reply.source()).isEqualTo(B_IP);
                        assertThat(reply.intact()).isTrue();
                    }
                    assertThat(ping(b, A_IP, 1, REPLY)).as("a reply from A").isPresent();

                    SwitchPort portA = sw.port(1);
                    SwitchPort portB = sw.port(2);
                    assertThat(portA.connected()).isTrue();
                    assertThat(portB.connected()).isTrue();
                    // Through the switch: 4 echo requests and 4 replies at least, ARP besides.
                    assertThat(portA.rxFrames()).isGreaterThanOrEqualTo(4);
                    assertThat(portB.rxFrames()).isGreaterThanOrEqualTo(4);
                    assertThat(portA.txFrames()).isGreaterThanOrEqualTo(4);
                    assertThat(portB.txFrames()).isGreaterThanOrEqualTo(4);
                    assertThat(portA.totalDrops() + portB.totalDrops()).isZero();
                    assertThat(sw.ports().path("connectedPorts").asInt()).isEqualTo(2);
                    assertThat(b.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                            .isEqualTo(3);

                    // The capture holds what the ports received (flushed at least every 200 ms).
                    Path pcap = dir.resolve("switch.pcap");
                    long received = portA.rxFrames() + portB.rxFrames();
                    Await.until("the capture holding every frame the ports received", () -> {
                        sw.copyCapture(pcap);
                        return pcapRecords(pcap) >= received;
                    });
                }
            }
        }
    }

    @Test
    void aSwitchContainerStoppedDuringTrafficIsLinkDownAtIpstackAndANewOneOnTheSamePortBringsItBack(
            Kernel kernelA, Kernel kernelB) throws Exception {
        SwitchContainer first = new SwitchContainer(Ndis4jImage.get());
        first.start();
        InetSocketAddress wire = first.wireAddress();
        try (IpHost a = host(kernelA, "host-a", A_MAC, A_IP, wire);
                IpHost b = host(kernelB, "host-b", B_MAC, B_IP, wire)) {
            assertThat(ping(a, B_IP, 1, REPLY)).as("a reply before the stop").isPresent();
            List<LinkPath> pathsB = recordLinkPaths(b);

            AtomicBoolean stopBlasting = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread blaster = blaster(a.ip(), B_IP, stopBlasting, sent);
            long echoed = b.ip().statistics().get(IpCounter.UDP_ECHOED);
            Await.until("traffic from A to B", () -> b.ip().statistics().get(IpCounter.UDP_ECHOED) > echoed + 200);

            first.stop(); // the container is killed and removed in the middle of the traffic

            Await.until("A's link down at ipstack", () -> !a.ip().isLinkUp());
            Await.until("B's link down at ipstack", () -> !b.ip().isLinkUp());
            stopBlasting.set(true);
            blaster.join();
            assertThat(sent.get()).isPositive();
            for (IpHost host : List.of(a, b)) {
                LinkEvent down = lastLinkEvent(host.ip());
                assertThat(down.connected()).as(host + " saw the link down").isFalse();
                assertThat(down.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
                assertThat(down.threadKind()).isEqualTo(ThreadKind.WORKER);
                assertThat(down.thread()).contains("CriticalWorkQueue");
            }
            LinkPath downPath = pathsB.get(pathsB.size() - 1);
            downPath.assertInterruptThenDpcThenWorkItem();
            Await.until("A's sends completed", () -> a.ip().sendsOutstanding() == 0);
            assertThat(ping(a, B_IP, 2, Duration.ofMillis(500)))
                    .as("a ping without a switch")
                    .isEmpty();

            try (SwitchContainer second = new SwitchContainer(Ndis4jImage.get()).withWirePort(wire.getPort())) {
                second.start();
                assertThat(second.wireAddress()).isEqualTo(wire);

                Await.until("A's link up at ipstack", a.ip()::isLinkUp);
                Await.until("B's link up at ipstack", b.ip()::isLinkUp);
                for (IpHost host : List.of(a, b)) {
                    LinkEvent up = lastLinkEvent(host.ip());
                    assertThat(up.connected()).as(host + " saw the link up").isTrue();
                    assertThat(up.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
                    assertThat(up.thread()).contains("CriticalWorkQueue");
                }
                assertThat(pathsB).hasSizeGreaterThanOrEqualTo(2);
                pathsB.get(pathsB.size() - 1).assertInterruptThenDpcThenWorkItem();

                // A NIC's link is up when its TCP connection is; the switch makes the port when it accepts
                // the connection, a moment later. A frame flooded before B's port exists reaches only A.
                Await.until(
                        "both ports on the new switch",
                        () -> second.ports().path("connectedPorts").asInt() == 2);
                for (int seq = 3; seq <= 5; seq++) {
                    assertThat(ping(a, B_IP, seq, REPLY))
                            .as("reply %d on the new switch", seq)
                            .isPresent();
                }
                assertThat(ping(b, A_IP, 1, REPLY))
                        .as("a reply from A on the new switch")
                        .isPresent();
                assertThat(second.ports().path("connectedPorts").asInt()).isEqualTo(2);
            }
            b.kernel().statistics().observe(null);
            for (IpHost host : List.of(a, b)) {
                Await.until(host + "'s sends completed", () -> host.ip().sendsOutstanding() == 0);
                AdapterView adapter = AdapterView.of(host.adapter());
                assertThat(adapter.sendsOutstanding())
                        .as(host + "'s NBLs at the miniport")
                        .isZero();
                assertThat(adapter.receivesOutstanding())
                        .as(host + "'s indications")
                        .isZero();
            }
        } finally {
            first.stop();
        }
        // Closing the hosts halted both adapters: the verifier checked work items, timers, pools and
        // shared memory; KernelExtension then fails the test on any unreleased Netty buffer.
    }

    private static LinkEvent lastLinkEvent(IpInterface ip) {
        List<LinkEvent> events = ip.linkEvents();
        return events.get(events.size() - 1);
    }

    /** vmini's last ISR and DPC before each of its work items (the link work item), as they ran. */
    private record LinkPath(Routine interrupt, Routine dpc, Routine workItem) {
        void assertInterruptThenDpcThenWorkItem() {
            assertThat(interrupt).as("vmini's ISR before its work item").isNotNull();
            assertThat(dpc).as("vmini's DPC before its work item").isNotNull();
            assertThat(interrupt.irql().above(Irql.DISPATCH_LEVEL))
                    .as("the ISR ran at DIRQL, not " + interrupt.irql())
                    .isTrue();
            assertThat(dpc.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(workItem.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
            assertThat(workItem.thread()).contains("CriticalWorkQueue");
            assertThat(interrupt.nanos()).isLessThanOrEqualTo(dpc.nanos());
            assertThat(dpc.nanos()).isLessThanOrEqualTo(workItem.nanos());
        }
    }

    /** Keeps, for each of vmini's work items on {@code host}, the ISR and DPC that ran last before it. */
    private static List<LinkPath> recordLinkPaths(IpHost host) {
        List<LinkPath> paths = new CopyOnWriteArrayList<>();
        AtomicReference<Routine> lastInterrupt = new AtomicReference<>();
        AtomicReference<Routine> lastDpc = new AtomicReference<>();
        host.kernel().statistics().observe(routine -> {
            if (!"vmini".equals(routine.driver())) {
                return;
            }
            if (routine.kind() == RoutineKind.ISR) {
                lastInterrupt.set(routine);
            } else if (routine.kind() == RoutineKind.DPC) {
                lastDpc.set(routine);
            } else if (routine.kind() == RoutineKind.WORK_ITEM) {
                paths.add(new LinkPath(lastInterrupt.get(), lastDpc.get(), routine));
            }
        });
        return paths;
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

    /** The records in a classic pcap file (24-byte global header, then a 16-byte header per frame), either byte order. */
    private static long pcapRecords(Path pcap) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)); // big-endian until the magic says
            if (b.remaining() < 24) {
                return 0;
            }
            int magic = b.getInt(0);
            if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
                b.order(ByteOrder.LITTLE_ENDIAN);
            } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new AssertionError("not a pcap file: magic " + Integer.toHexString(magic));
            }
            assertThat(b.getInt(20)).as("link type Ethernet").isEqualTo(1);
            long records = 0;
            int at = 24;
            while (at + 16 <= b.limit()) {
                int included = b.getInt(at + 8);
                if (at + 16 + included > b.limit()) {
                    break; // the last record is still being written
                }
                records++;
                at += 16 + included;
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
