package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.vmini.VminiScenarios.A;
import static org.ndis4j.examples.vmini.VminiScenarios.B;
import static org.ndis4j.examples.vmini.VminiScenarios.NORMAL;
import static org.ndis4j.examples.vmini.VminiScenarios.exchange;
import static org.ndis4j.examples.vmini.VminiScenarios.frame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.DeterministicTest;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.InMemoryWire;

/**
 * vmini on two machines joined by the in-memory wire, under the deterministic scheduler: both
 * kernels, both NICs' timers and the wire run in one seeded run on virtual time. Each scenario runs
 * a few fixed seeds in {@code verify}; {@code -Dndis4j.det.iterations} and {@code -Dndis4j.det.seed}
 * explore more (docs/deterministic.md).
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(processors = 2, criticalWorkers = 2, delayedWorkers = 1)
class VminiInMemoryDeterministicTest {

    private InMemoryWire wire;
    private VminiStation a;
    private VminiStation b;

    @BeforeEach
    void boot(Kernel kernelA, Kernel kernelB) {
        wire = InMemoryWire.pair();
        a = new VminiStation(kernelA, "vnic-a", wire.a(), A);
        b = new VminiStation(kernelB, "vnic-b", wire.b(), B);
        a.protocol.awaitLinkState("A's link up", NdisLinkState::isConnected);
        b.protocol.awaitLinkState("B's link up", NdisLinkState::isConnected);
        assertThat(a.setPacketFilter(NORMAL)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(b.setPacketFilter(NORMAL)).isEqualTo(NdisStatus.SUCCESS);
    }

    @AfterEach
    void shutDown() {
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

    @DeterministicTest(iterations = 3, seed = "0x15")
    void framesCrossTheWireByteForByteInBothDirections() {
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            toB.add(frame(B, A, 60 + i * 150, i));
            toA.add(frame(A, B, VminiConfiguration.DEFAULTS.jumboPacket() - i * 90, 100 + i));
        }
        toB.add(frame(MacAddress.BROADCAST, A, 64, 999));
        exchange(a, b, toB, toB.size());
        exchange(b, a, toA, toA.size());
        assertThat(b.protocol.received()).containsExactlyElementsOf(toB);
        assertThat(a.protocol.received()).containsExactlyElementsOf(toA);
        assertThat(a.protocol.sendCompletions())
                .containsOnly(NdisStatus.SUCCESS)
                .hasSize(toB.size());
    }

    @DeterministicTest(iterations = 3, seed = "0x16")
    void pauseStopsTheDataPathAndRestartResumesIt() {
        PnpManager pnp = PnpManager.of(b.kernel);
        pnp.pause(b.adapter);
        a.protocol.send(List.of(frame(B, A, 64, 1)));
        a.protocol.awaitSendCompletions(1);
        b.protocol.send(List.of(frame(A, B, 64, 3)));
        b.protocol.awaitSendCompletions(1);
        assertThat(b.protocol.sendCompletions()).containsExactly(NdisStatus.PAUSED);

        assertThat(pnp.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
        int before = b.protocol.received().size();
        List<byte[]> after = List.of(frame(B, A, 90, 4));
        exchange(a, b, after, 1);
        List<byte[]> all = b.protocol.received();
        assertThat(all.subList(before, all.size())).containsExactlyElementsOf(after);
    }
}
