package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisConfigurationParameter;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.DeviceTimer;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.ManualDeviceTimer;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WireListener;
import org.ndis4j.wire.WirePort;

/**
 * Each standardized keyword vmini reads (VminiConfiguration), one at a time, seen where it lands:
 * NetworkAddress in the NIC's station address and OID_802_3_CURRENT_ADDRESS, *ReceiveBuffers and
 * *TransmitBuffers in the rings the driver allocates and programs, *InterruptModeration in when the
 * NIC raises its interrupt. Values the INF's range allows come from the adapter's configuration as a
 * host gives it; values outside it (which only a hand-edited registry holds: AdapterConfiguration
 * refuses them) are written with NdisWriteConfiguration, as regedit would, and read back by vmini's
 * own reader, which must fall back to the default as the WDK tells a miniport to.
 *
 * <pre>
 *   test ── peer end ── InMemoryWire ── VirtualNic ── vmini ── RecordingProtocol
 * </pre>
 */
@ExtendWith(KernelExtension.class)
class VminiConfigurationTest {

    static final MacAddress EEPROM = MacAddress.of("02:4e:44:00:0c:01");
    static final MacAddress OVERRIDE = MacAddress.of("02:aa:bb:cc:dd:ee");
    static final MacAddress PEER = MacAddress.of("02:4e:44:00:0c:02");

    /** One adapter under test: its NIC's memory and registers, the protocol above, the far end of the wire. */
    private static final class Adapter implements AutoCloseable {
        final Kernel kernel;
        final HostMemory memory = new HostMemory(64L << 20);
        final InMemoryWire wire = InMemoryWire.pair();
        final VirtualNic nic;
        final NdisMiniportAdapterHandle handle;
        final RecordingProtocol protocol;
        final WirePort peer = wire.b();

        Adapter(
                Kernel kernel,
                DriverObject vmini,
                String name,
                AdapterConfiguration registry,
                DeviceTimer timer,
                boolean withProtocol) {
            this.kernel = kernel;
            peer.attach(new WireListener() {
                @Override
                public void frameReceived(ByteBuf frame) {
                    frame.release();
                }

                @Override
                public void carrierChanged(boolean up) {}
            });
            VirtualNic.Builder builder =
                    VirtualNic.builder(name, wire.a()).memory(memory).permanentAddress(EEPROM);
            if (timer != null) {
                builder.timer(timer);
            }
            nic = builder.build();
            handle = PnpManager.of(kernel).addDevice(vmini, nic.resources(), registry);
            // The kit's protocol binds to every adapter its driver sees: one adapter per test has it.
            protocol = withProtocol ? RecordingProtocol.bind(handle) : null;
        }

        RegisterSpace registers() {
            return nic.resources().registers();
        }

        MacAddress station() {
            long low = Integer.toUnsignedLong(registers().read32(Registers.RAL));
            long high = registers().read32(Registers.RAH) & 0xFFFFL;
            long value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | ((low >>> (8 * i)) & 0xFF);
            }
            for (int i = 0; i < 2; i++) {
                value = (value << 8) | ((high >>> (8 * i)) & 0xFF);
            }
            return new MacAddress(value);
        }

        MacAddress query(int oid) {
            NdisOidRequest query = NdisOidRequest.query(oid, 6);
            assertThat(NdisOidClient.of(handle).requestAndWait(query)).isEqualTo(NdisStatus.SUCCESS);
            return MacAddress.of(query.result(), 0);
        }

        /** The peer puts {@code frame} on the wire (delivered to the NIC on this thread). */
        void peerSends(byte[] frame) {
            peer.send(Unpooled.wrappedBuffer(frame));
            peer.flush();
        }

        long counter(StatisticsCounter counter) {
            return nic.statistics().get(counter);
        }

        @Override
        public void close() {
            PnpManager.of(kernel).removeDevice(handle);
            nic.close();
            wire.a().close();
            peer.close();
        }
    }

    private final List<Adapter> adapters = new ArrayList<>();
    /** vmini, loaded once into the test's kernel. */
    private DriverObject vmini;

    /** An adapter without a protocol bound: several may share the test's kernel. */
    private Adapter adapter(Kernel kernel, AdapterConfiguration registry) {
        return add(kernel, registry, null, false);
    }

    /** The test's one adapter with the kit's recording protocol bound to it. */
    private Adapter bound(Kernel kernel, AdapterConfiguration registry, DeviceTimer timer) {
        return add(kernel, registry, timer, true);
    }

    private Adapter add(Kernel kernel, AdapterConfiguration registry, DeviceTimer timer, boolean withProtocol) {
        if (vmini == null) {
            vmini = PnpManager.of(kernel).loadDriver("vmini", VminiDriver::driverEntry);
        }
        Adapter a = new Adapter(kernel, vmini, "vnic-cfg" + adapters.size(), registry, timer, withProtocol);
        adapters.add(a);
        return a;
    }

    @AfterEach
    void removeTheAdapters() {
        for (Adapter a : adapters) {
            if (!a.kernel.isCrashed()) {
                a.close();
                assertThat(a.memory.allocatedBytes())
                        .as("shared memory left after halt")
                        .isZero();
            }
        }
    }

    private static AdapterConfiguration keywords(String... pairs) {
        AdapterConfiguration.Builder b = AdapterConfiguration.builder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.keyword(pairs[i], pairs[i + 1]);
        }
        return b.build();
    }

    /** A frame {@code destination ← source} of 64 bytes. */
    private static byte[] frame(MacAddress destination, MacAddress source, int seq) {
        return VminiScenarios.frame(destination, source, 64, seq);
    }

    // ---- NetworkAddress ------------------------------------------------------------------------

    @Test
    void networkAddressIsTheStationAddressTheNicAndOid8023CurrentAddressReport(Kernel kernel) {
        Adapter a = bound(kernel, keywords("NetworkAddress", "02-AA-BB-CC-DD-EE"), null);
        assertThat(a.station()).as("RAL/RAH").isEqualTo(OVERRIDE);
        assertThat(a.query(Oid.OID_802_3_CURRENT_ADDRESS)).isEqualTo(OVERRIDE);
        assertThat(a.query(Oid.OID_802_3_PERMANENT_ADDRESS)).isEqualTo(EEPROM);
        // The receive filter follows the station address: a frame to the override arrives, one to the EEPROM's does
        // not.
        assertThat(a.protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED)).isEqualTo(NdisStatus.SUCCESS);
        a.peerSends(frame(EEPROM, PEER, 1));
        a.peerSends(frame(OVERRIDE, PEER, 2));
        a.protocol.awaitReceivedCount(1);
        assertThat(a.protocol.received()).containsExactly(frame(OVERRIDE, PEER, 2));
        assertThat(a.counter(StatisticsCounter.RX_FILTERED)).isEqualTo(1);
    }

    @Test
    void aNetworkAddressThatIsNotAStationsIsIgnoredForTheEepromsAddress(Kernel kernel) {
        for (String text : List.of("01AABBCCDDEE", "000000000000", "")) { // a group, zero, none
            Adapter a = adapter(kernel, keywords("NetworkAddress", text));
            assertThat(a.station()).as(text).isEqualTo(EEPROM);
            assertThat(a.query(Oid.OID_802_3_CURRENT_ADDRESS)).as(text).isEqualTo(EEPROM);
        }
        // A short address only a hand-edited registry can hold.
        Adapter a = adapter(kernel, AdapterConfiguration.empty());
        write(a.handle, "NetworkAddress", NdisConfigurationParameter.string("02AABB"));
        assertThat(VminiConfiguration.read(a.handle).networkAddress()).isNull();
    }

    // ---- *ReceiveBuffers, *TransmitBuffers -----------------------------------------------------

    @Test
    void ringSizesAreWhatTheDriverAllocatesAndProgramsRoundedDownToAPowerOfTwo(Kernel kernel) {
        int[][] cases = { // *ReceiveBuffers, *TransmitBuffers, rx ring, tx ring
            {512, 64, 512, 64}, {8, 4096, 8, 4096}, {300, 4095, 256, 2048}, {4096, 8, 4096, 8}
        };
        for (int[] c : cases) {
            Adapter a = adapter(
                    kernel,
                    keywords("*ReceiveBuffers", Integer.toString(c[0]), "*TransmitBuffers", Integer.toString(c[1])));
            String as = "*ReceiveBuffers " + c[0] + ", *TransmitBuffers " + c[1];
            assertThat(a.registers().read32(Registers.RX_SIZE)).as(as).isEqualTo(c[2]);
            assertThat(a.registers().read32(Registers.TX_SIZE)).as(as).isEqualTo(c[3]);
            // every receive descriptor but one posted (the ring keeps one slot empty)
            assertThat(a.registers().read32(Registers.RX_TAIL)).as(as).isEqualTo(c[2] - 1);
            int buffer = 2048; // a 1518-byte frame, rounded up to 2 KiB
            long expected = (long) c[3] * HardwareLimits.DESCRIPTOR_LENGTH
                    + (long) c[3] * buffer
                    + (long) c[2] * HardwareLimits.DESCRIPTOR_LENGTH
                    + (long) (c[2] - 1) * buffer;
            assertThat(a.memory.allocatedBytes()).as(as + ": shared memory").isEqualTo(expected);
        }
    }

    @Test
    void ringSizesOutsideTheInfRangeFallBackToTheDefault(Kernel kernel) {
        Adapter a = adapter(kernel, AdapterConfiguration.empty());
        int[] outside = {0, 7, 4097, 65536, -1};
        for (int value : outside) {
            write(a.handle, "*ReceiveBuffers", NdisConfigurationParameter.integer(value));
            write(a.handle, "*TransmitBuffers", NdisConfigurationParameter.integer(value));
            VminiConfiguration read = VminiConfiguration.read(a.handle);
            assertThat(read.receiveRingSize()).as("*ReceiveBuffers " + value).isEqualTo(256);
            assertThat(read.transmitRingSize()).as("*TransmitBuffers " + value).isEqualTo(256);
        }
        write(a.handle, "*ReceiveBuffers", NdisConfigurationParameter.string("many"));
        assertThat(VminiConfiguration.read(a.handle).receiveRingSize())
                .as("not a number")
                .isEqualTo(256);
    }

    // ---- *InterruptModeration ------------------------------------------------------------------

    @Test
    void moderationOnDefersAnInterruptInsideTheThrottleIntervalUntilItEnds(Kernel kernel) {
        ManualDeviceTimer timer = new ManualDeviceTimer(); // device time stands still until the test moves it
        Adapter a = bound(kernel, keywords("*InterruptModeration", "1"), timer);
        assertThat(a.registers().read32(Registers.ITR)).isEqualTo(VminiHardware.INTERRUPT_THROTTLE_MICROS);
        assertThat(a.protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED)).isEqualTo(NdisStatus.SUCCESS);

        a.peerSends(frame(EEPROM, PEER, 1)); // the first interrupt is raised at once
        a.protocol.awaitReceivedCount(1);
        assertThat(a.counter(StatisticsCounter.INTERRUPTS_RAISED)).isEqualTo(1);
        int scheduled = timer.pendingTasks();

        a.peerSends(frame(EEPROM, PEER, 2)); // no device time has passed: inside the interval
        Await.until("the raise deferred to the end of the interval", () -> timer.pendingTasks() == scheduled + 1);
        assertThat(a.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(2); // the frame is in memory...
        assertThat(a.counter(StatisticsCounter.INTERRUPTS_RAISED)).isEqualTo(1); // ...and nobody was told
        assertThat(a.protocol.receivedCount()).isEqualTo(1);

        timer.advance(TimeUnit.MICROSECONDS.toNanos(VminiHardware.INTERRUPT_THROTTLE_MICROS));
        a.protocol.awaitReceivedCount(2);
        assertThat(a.counter(StatisticsCounter.INTERRUPTS_RAISED)).isEqualTo(2);
    }

    @Test
    void moderationOffRaisesAnInterruptForEachFrameAtOnce(Kernel kernel) {
        ManualDeviceTimer timer = new ManualDeviceTimer();
        Adapter a = bound(kernel, keywords("*InterruptModeration", "0"), timer);
        assertThat(a.registers().read32(Registers.ITR)).isZero();
        assertThat(a.protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED)).isEqualTo(NdisStatus.SUCCESS);

        a.peerSends(frame(EEPROM, PEER, 1));
        a.protocol.awaitReceivedCount(1);
        int scheduled = timer.pendingTasks();
        a.peerSends(frame(EEPROM, PEER, 2)); // the same device instant: raised anyway, nothing deferred
        a.protocol.awaitReceivedCount(2);
        assertThat(a.counter(StatisticsCounter.INTERRUPTS_RAISED)).isEqualTo(2);
        assertThat(timer.pendingTasks()).isEqualTo(scheduled);
    }

    @Test
    void aModerationValueOutsideTheEnumerationFallsBackToTheDefaultOn(Kernel kernel) {
        Adapter a = adapter(kernel, AdapterConfiguration.empty());
        assertThat(a.registers().read32(Registers.ITR))
                .as("no keyword: on")
                .isEqualTo(VminiHardware.INTERRUPT_THROTTLE_MICROS);
        for (int value : new int[] {2, 7, -1}) {
            write(a.handle, "*InterruptModeration", NdisConfigurationParameter.integer(value));
            assertThat(VminiConfiguration.read(a.handle).interruptModeration())
                    .as(Integer.toString(value))
                    .isTrue();
        }
        write(a.handle, "*InterruptModeration", NdisConfigurationParameter.integer(0));
        assertThat(VminiConfiguration.read(a.handle).interruptModeration()).isFalse();
    }

    /** NdisWriteConfiguration into the adapter's key, as a hand edit of the registry would. Runs at PASSIVE_LEVEL. */
    private static void write(NdisMiniportAdapterHandle handle, String keyword, NdisConfigurationParameter value) {
        NdisConfigurationHandle configuration = Ndis.openConfigurationEx(NdisConfigurationObject.of(handle));
        try {
            assertThat(Ndis.writeConfiguration(configuration, keyword, value)).isEqualTo(NdisStatus.SUCCESS);
        } finally {
            Ndis.closeConfiguration(configuration);
        }
    }
}
