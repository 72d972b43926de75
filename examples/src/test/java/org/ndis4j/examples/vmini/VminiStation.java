package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;

import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.WirePort;

/**
 * One machine: a kernel, a virtual NIC on a wire, the vmini miniport driving it and the test kit's
 * recording protocol bound to the adapter. {@link #close()} removes the device (halt) and checks
 * that every byte of shared memory came back.
 */
final class VminiStation implements AutoCloseable {

    final Kernel kernel;
    final MacAddress mac;
    final HostMemory memory = new HostMemory(16L << 20);
    final WirePort wire;
    final VirtualNic nic;
    final NdisMiniportAdapterHandle adapter;
    final RecordingProtocol protocol;
    private boolean removed;

    VminiStation(Kernel kernel, String name, WirePort wire, MacAddress mac) {
        this.kernel = kernel;
        this.mac = mac;
        this.wire = wire;
        nic = VirtualNic.builder(name, wire)
                .memory(memory)
                .permanentAddress(mac)
                .build();
        PnpManager pnp = PnpManager.of(kernel);
        DriverObject driver = pnp.loadDriver("vmini", VminiDriver::driverEntry);
        adapter = pnp.addDevice(driver, nic.resources());
        protocol = RecordingProtocol.bind(adapter);
    }

    /** Waits for the link to come up as the protocol sees it, then sets {@code filter}: where a test of two stations starts. */
    void awaitLinkUpAndSetFilter(String who, int filter) {
        protocol.awaitLinkState(who + "'s link up", NdisLinkState::isConnected);
        assertThat(setPacketFilter(filter)).isEqualTo(NdisStatus.SUCCESS);
    }

    /** Closes {@code b}, then {@code a} even if b's close failed; either may be null (a boot that failed half-way). */
    static void closeInReverse(VminiStation a, VminiStation b) {
        try {
            if (b != null) {
                b.close();
            }
        } finally {
            if (a != null) {
                a.close();
            }
        }
    }

    /** Sets the packet filter through the protocol binding (OID_GEN_CURRENT_PACKET_FILTER). */
    NdisStatus setPacketFilter(int filter) {
        return protocol.setPacketFilter(filter);
    }

    /**
     * Shuts the system down: MiniportShutdownEx. Nothing is halted or freed afterwards, the machine
     * powers off at close (so close checks no memory).
     */
    void shutDown() {
        removed = true;
        PnpManager.of(kernel).shutdown();
    }

    /** The adapter left the machine by itself (a surprise removal): close has nothing to remove. */
    void adapterGone() {
        removed = true;
    }

    /** Removes the device: unbind, pause, MiniportHaltEx. The verifier checks what halt left behind. */
    void removeDevice() {
        if (!removed && !kernel.isCrashed()) {
            removed = true;
            PnpManager.of(kernel).removeDevice(adapter);
            assertThat(memory.allocatedBytes())
                    .as("shared memory left after halt")
                    .isZero();
        }
    }

    @Override
    public void close() {
        try {
            removeDevice();
        } finally {
            nic.close();
            wire.close();
        }
    }
}
