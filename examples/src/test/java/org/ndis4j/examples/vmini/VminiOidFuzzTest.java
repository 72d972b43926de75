package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.util.LeakPresenceDetector;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

/**
 * Coverage-guided fuzzing of OID requests through NDIS to vmini on a virtual NIC: any OID (those NDIS
 * answers itself, those vmini answers, ones it knows and does not do, unknown and vendor ones), any
 * request type (query, set, method), any buffer (empty, short, exact, huge) and content, issued on a
 * protocol's binding or through the host's {@code NdisOidClient}, one at a time or several queued at
 * once, some cancelled, some while the adapter is paused. For every request:
 *
 * <ul>
 *   <li>nothing escapes and no rule is broken (any bug check fails the target);</li>
 *   <li>it completes exactly once: PENDING then one completion, or a final status and none;</li>
 *   <li>the status, BytesWritten, BytesRead and BytesNeeded are what {@link VminiOidModel} (docs/oids.md,
 *       the WDK's MiniportOidRequest statuses and vmini's table) says, NDIS answers its own OIDs at
 *       once, the answer's bytes are right where they are predictable, and nothing is written past
 *       BytesWritten (nothing at all on failure);</li>
 *   <li>a cancelled request completes as the model says or with REQUEST_ABORTED, having done nothing;</li>
 *   <li>the adapter stays usable: after each batch a witness frame goes out to the wire and completes
 *       with SUCCESS, one comes in to the bindings (or is counted filtered by the NIC when the packet
 *       filter says so), and the miniport still answers OID_GEN_XMIT_OK with the device's TX_FRAMES.</li>
 * </ul>
 *
 * One machine (kernel, NIC, vmini, two bound protocols) serves many inputs, as Jazzer runs the method
 * many times in one JVM; each input starts from the same OID state (packet filter, lookahead,
 * multicast list). A machine that crashed or whose input failed is replaced; so is one that served {@value
 * #WITNESSES_PER_MACHINE} batches, after a removal that runs the halt-time checks (no shared memory
 * left). Netty's leak detector is checked at the end. Regression inputs live in
 * {@code src/test/resources/org/ndis4j/examples/vmini/VminiOidFuzzTestInputs/}.
 */
class VminiOidFuzzTest {

    private static final int MAX_BATCHES = 4;
    private static final int MAX_BATCH = 3;
    private static final int HUGE = 1 << 16;
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Witness rounds one machine serves before a fresh one replaces it: the recordings of the wire
     * peer and the protocol stay far below their caps, and the halt-time checks run every few
     * thousand inputs, not only at the end.
     */
    private static final int WITNESSES_PER_MACHINE = 4096;

    private static final MacAddress NIC = MacAddress.of("02:4e:44:00:0c:01");
    private static final long PEER = MacAddress.of("02:00:00:00:0c:99").value();
    /** Every OID ndis4j names, and a few vendor and meaningless ones. */
    private static final int[] OIDS = oids();

    private static final int[] ULONGS = {
        0, 1, 4, 0x0B, 0x0F, 0x20, 0x2F, 0x30, 0xFF, 0x1000, 1499, 1500, 1501, 1514, 0xFFFF, 0x8000_0000, -1
    };
    private static final int[] LENGTHS = {0, 1, 3, 4, 5, 6, 7, 8, 12, 16, 40, 75, 76, 152, 153, 192, 193, 198};

    private static Machine machine;

    @FuzzTest(maxDuration = "60s")
    void requestsCompleteAsDocumentedAndTheAdapterStaysUsable(FuzzedDataProvider data) {
        Machine m = machine();
        m.whole = false;
        m.startState();
        for (int batch = 0; batch < MAX_BATCHES && data.remainingBytes() > 0; batch++) {
            m.batch(data);
        }
        m.whole = true;
    }

    @AfterAll
    static void removeTheMachine() {
        if (machine != null) {
            machine.close();
            machine = null;
        }
        LeakPresenceDetector.check();
    }

    private static Machine machine() {
        if (machine != null && (machine.kernel.isCrashed() || !machine.whole)) {
            machine.abandon();
            machine = null;
        }
        if (machine != null && machine.witness >= WITNESSES_PER_MACHINE) {
            machine.close();
            machine = null;
        }
        if (machine == null) {
            machine = new Machine();
        }
        return machine;
    }

    /** A kernel, a virtual NIC on an in-memory wire, vmini, a recording protocol and the OID issuer. */
    private static final class Machine implements AutoCloseable {
        final Kernel kernel = Kernel.boot(KernelConfig.defaults().withName("oidfuzz"));
        final HostMemory memory = new HostMemory(16L << 20);
        final InMemoryWire wire = InMemoryWire.pair();
        final VirtualNic nic = VirtualNic.builder("oidfuzz0", wire.a())
                .memory(memory)
                .permanentAddress(NIC)
                .build();
        final WirePeer peer = WirePeer.on(wire.b());
        final PnpManager pnp = PnpManager.of(kernel);
        final NdisMiniportAdapterHandle adapter;
        final RecordingProtocol protocol;
        final OidIssuer issuer;
        final VminiOidModel model = new VminiOidModel(NIC.bytes());
        private long nextRequestId;
        private int witness;
        /**
         * False while an input runs: a machine whose input failed half-way (paused, or with state the
         * model does not know) is replaced rather than reused, so one finding does not fail every
         * later regression input.
         */
        private boolean whole = true;

        Machine() {
            DriverObject driver = pnp.loadDriver("vmini", VminiDriver::driverEntry);
            adapter = pnp.addDevice(driver, nic.resources());
            protocol = RecordingProtocol.bind(adapter);
            issuer = OidIssuer.bind(adapter);
            protocol.awaitLinkState("link up", link -> link.isConnected());
            assertThat(protocol.setPacketFilter(VminiOidModel.START_PACKET_FILTER))
                    .isEqualTo(NdisStatus.SUCCESS);
        }

        /** Puts back what the previous input changed: the packet filter, the lookahead, the multicast list. */
        void startState() {
            if (model.packetFilter() != VminiOidModel.START_PACKET_FILTER) {
                restore(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_PACKET_FILTER, VminiOidModel.START_PACKET_FILTER));
            }
            if (model.lookahead() != VminiOidModel.LOOKAHEAD_SIZE) {
                restore(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_LOOKAHEAD, VminiOidModel.LOOKAHEAD_SIZE));
            }
            if (model.multicastList().length != 0) {
                restore(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, new byte[0]));
            }
        }

        private void restore(NdisOidRequest request) {
            assertThat(protocol.request(request)).as("%s", request).isEqualTo(NdisStatus.SUCCESS);
            model.completed(request, NdisStatus.SUCCESS);
        }

        /**
         * Issues 1 to {@value #MAX_BATCH} requests back to back, maybe with the adapter paused before
         * one of them (NDIS delivers requests to a Paused adapter too), maybe cancels one, then checks
         * them all and restarts the adapter.
         */
        void batch(FuzzedDataProvider data) {
            List<OidIssuer.Issued> batch = new ArrayList<>();
            List<byte[]> before = new ArrayList<>();
            int count = data.consumeInt(1, MAX_BATCH);
            int pauseBefore = data.consumeInt(0, 4 * MAX_BATCH); // mostly beyond the batch: no pause
            for (int i = 0; i < count; i++) {
                if (i == pauseBefore) {
                    pnp.pause(adapter);
                }
                NdisOidRequest request = request(data).setRequestId(++nextRequestId);
                before.add(request.informationBuffer().clone());
                batch.add(issuer.issue(request, data.consumeBoolean()));
                checkAlive();
            }
            Object cancelled = null;
            if (data.consumeInt(0, 3) == 0) {
                cancelled = batch.get(data.consumeInt(0, count - 1)).request.requestId();
                issuer.cancel(cancelled);
            }
            for (OidIssuer.Issued issued : batch) {
                Await.until(
                        kernel, "the completion of " + issued, COMPLETION_TIMEOUT, () -> issued.finalStatus() != null);
            }
            // In order: NDIS hands the miniport one request at a time, as they were queued. NDIS answers
            // its own OIDs when they are issued, after some (a prefix) of the batch's earlier requests.
            List<VminiOidModel> states = new ArrayList<>(List.of(model.copy()));
            for (int i = 0; i < count; i++) {
                check(
                        batch.get(i),
                        before.get(i),
                        batch.get(i).request.requestId().equals(cancelled),
                        states);
                states.add(model.copy());
            }
            if (pauseBefore < count) {
                assertThat(pnp.restart(adapter)).as("MiniportRestart").isEqualTo(NdisStatus.SUCCESS);
            }
            witness();
            for (OidIssuer.Issued issued : batch) {
                int expected = issued.returned == NdisStatus.PENDING ? 1 : 0;
                assertThat(issued.completions.get())
                        .as("completions of %s (returned %s)", issued, issued.returned)
                        .isEqualTo(expected);
            }
            assertThat(issuer.strays())
                    .as("completions of requests never issued")
                    .isEmpty();
            issuer.forget(batch);
        }

        private void check(OidIssuer.Issued issued, byte[] before, boolean cancelled, List<VminiOidModel> states) {
            NdisOidRequest r = issued.request;
            NdisStatus status = issued.finalStatus();
            if (cancelled && status == NdisStatus.REQUEST_ABORTED) {
                assertThat(issued.returned)
                        .as("%s: aborted while queued", issued)
                        .isEqualTo(NdisStatus.PENDING);
                assertThat(r.informationBuffer())
                        .as("%s: an aborted request writes nothing", issued)
                        .isEqualTo(before);
                return;
            }
            var link = AdapterView.of(adapter).linkState();
            VminiOidModel.Outcome expected = model.expect(r, link);
            List<String> problems = mismatches(issued, before, expected);
            if (!problems.isEmpty() && expected.answeredByNdis()) {
                for (VminiOidModel earlier : states) {
                    if (mismatches(issued, before, earlier.expect(r, link)).isEmpty()) {
                        problems = List.of();
                    }
                }
            }
            assertThat(problems)
                    .as(
                            "%s -> %s, written %d, read %d, needed %d; the model says %s",
                            issued, status, r.bytesWritten(), r.bytesRead(), r.bytesNeeded(), expected)
                    .isEmpty();
            model.completed(r, status);
        }

        /** How the request's outcome differs from {@code expected} (empty: not at all). */
        private static List<String> mismatches(OidIssuer.Issued issued, byte[] before, VminiOidModel.Outcome expected) {
            NdisOidRequest r = issued.request;
            byte[] after = r.informationBuffer();
            List<String> problems = new ArrayList<>();
            if (issued.finalStatus() != expected.status()) {
                problems.add("status");
            }
            if ((issued.returned == NdisStatus.PENDING) == expected.answeredByNdis()) {
                problems.add("PENDING exactly when the miniport answers");
            }
            if (r.bytesWritten() != expected.bytesWritten()) {
                problems.add("BytesWritten");
            }
            if (r.bytesRead() != expected.bytesRead()) {
                problems.add("BytesRead");
            }
            if (r.bytesNeeded() != expected.bytesNeeded()) {
                problems.add("BytesNeeded");
            }
            int written = Math.max(0, Math.min(r.bytesWritten(), after.length));
            if (expected.answer() != null && !Arrays.equals(Arrays.copyOf(after, written), expected.answer())) {
                problems.add("the answer's bytes");
            }
            if (!Arrays.equals(after, written, after.length, before, written, before.length)) {
                problems.add("bytes written past BytesWritten");
            }
            return problems;
        }

        /**
         * The adapter still works: a frame goes out to the wire and completes with SUCCESS; one comes
         * in to the bindings, or is counted filtered by the NIC when the packet filter takes no
         * directed frames; and the miniport still answers an OID of its own (OID_GEN_XMIT_OK, which
         * must equal the device's TX_FRAMES counter).
         */
        private void witness() {
            witness++;
            byte[] out = FrameBuilder.ethernet(PEER, NIC.value()).testPattern(60 + witness % 64, witness);
            long sent = peer.framesReceived();
            long completions = protocol.sendCompletionCount();
            protocol.send(out);
            Await.until(
                    kernel,
                    "the witness frame " + witness + " on the wire",
                    COMPLETION_TIMEOUT,
                    () -> peer.framesReceived() > sent);
            Await.until(
                    kernel,
                    "the witness frame's send completion",
                    COMPLETION_TIMEOUT,
                    () -> protocol.sendCompletionCount() > completions);
            List<byte[]> onWire = peer.received();
            assertThat(onWire.get(onWire.size() - 1)).isEqualTo(out);
            List<NdisStatus> sendStatuses = protocol.sendCompletions();
            assertThat(sendStatuses.get(sendStatuses.size() - 1))
                    .as("the witness frame's send status")
                    .isEqualTo(NdisStatus.SUCCESS);

            byte[] in = FrameBuilder.ethernet(NIC.value(), PEER).testPattern(60 + witness % 64, -witness);
            long received = issuer.receivedCount();
            long filtered = nic.statistics().get(StatisticsCounter.RX_FILTERED);
            peer.send(in);
            int directed = NdisPacketType.NDIS_PACKET_TYPE_DIRECTED | NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS;
            if ((model.packetFilter() & directed) != 0) {
                Await.until(
                        kernel,
                        "the witness frame " + witness + " at the binding",
                        COMPLETION_TIMEOUT,
                        () -> issuer.receivedCount() > received);
                assertThat(issuer.lastReceived()).isEqualTo(in);
            } else {
                Await.until(
                        kernel,
                        "the witness frame " + witness + " filtered by the NIC (packet filter 0x"
                                + Integer.toHexString(model.packetFilter()) + ")",
                        COMPLETION_TIMEOUT,
                        () -> nic.statistics().get(StatisticsCounter.RX_FILTERED) > filtered);
                assertThat(issuer.receivedCount())
                        .as("frames indicated although the packet filter takes none")
                        .isEqualTo(received);
            }

            NdisOidRequest xmitOk = NdisOidRequest.query(Oid.OID_GEN_XMIT_OK, 8);
            assertThat(protocol.request(xmitOk))
                    .as("%s after the batch", xmitOk)
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(xmitOk.bytesWritten()).as("BytesWritten of %s", xmitOk).isEqualTo(8);
            assertThat(ByteBuffer.wrap(xmitOk.result())
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getLong())
                    .as("OID_GEN_XMIT_OK against the device's TX_FRAMES")
                    .isEqualTo(nic.statistics().get(StatisticsCounter.TX_FRAMES));
            checkAlive();
        }

        private void checkAlive() {
            kernel.crashReport().ifPresent(report -> {
                throw new AssertionError(report.toText());
            });
        }

        // ---- requests a fuzzer makes -------------------------------------------------------------

        private NdisOidRequest request(FuzzedDataProvider data) {
            int oid = data.consumeInt(0, 4) == 0 ? data.consumeInt() : data.pickValue(OIDS);
            int kind = data.consumeInt(0, 5);
            int capacity = capacity(data);
            byte[] buffer = new byte[capacity];
            int length = capacity == 0 ? 0 : data.consumeInt(0, capacity);
            if (data.consumeBoolean()) {
                length = capacity; // most often the whole buffer
            }
            return switch (kind) {
                case 0, 1 -> {
                    fillRandom(data, buffer);
                    yield NdisOidRequest.query(oid, buffer, length);
                }
                case 2, 3, 4 -> {
                    content(data, oid, buffer, length);
                    yield NdisOidRequest.set(oid, buffer, length);
                }
                default -> {
                    fillRandom(data, buffer);
                    int output = capacity == 0 ? 0 : data.consumeInt(0, capacity);
                    yield NdisOidRequest.method(oid, data.consumeInt(), buffer, length, output);
                }
            };
        }

        /** The buffer's size: empty, short, the sizes OIDs need (and one either side), or huge. */
        private static int capacity(FuzzedDataProvider data) {
            return switch (data.consumeInt(0, 3)) {
                case 0, 1 -> data.pickValue(LENGTHS);
                case 2 -> data.consumeInt(0, 300);
                default -> data.consumeBoolean() ? HUGE : data.consumeInt(0, HUGE);
            };
        }

        /** Set input: a ULONG worth trying, a multicast list, or raw bytes; the rest of a big buffer patterned. */
        private static void content(FuzzedDataProvider data, int oid, byte[] buffer, int length) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> {
                    int value = data.consumeBoolean() ? data.pickValue(ULONGS) : data.consumeInt();
                    for (int i = 0; i < Math.min(4, buffer.length); i++) {
                        buffer[i] = (byte) (value >>> (8 * i));
                    }
                }
                case 1 -> {
                    for (int at = 0; at + 6 <= length; at += 6) {
                        long mac = data.consumeInt(0, 7) == 0
                                ? data.consumeLong()
                                : 0x01_00_5e_00_00_00L | data.consumeInt(0, 0xFF);
                        for (int octet = 0; octet < 6; octet++) {
                            buffer[at + octet] = (byte) (mac >>> (40 - 8 * octet));
                        }
                    }
                }
                default -> fillRandom(data, buffer);
            }
        }

        private static void fillRandom(FuzzedDataProvider data, byte[] buffer) {
            byte[] prefix = data.consumeBytes(Math.min(buffer.length, 16));
            System.arraycopy(prefix, 0, buffer, 0, prefix.length);
            for (int i = prefix.length; i < buffer.length; i++) {
                buffer[i] = (byte) (i * 13 + 7);
            }
        }

        /** Removes the device (halt: the verifier's halt-time checks run) and shuts the kernel down. */
        @Override
        public void close() {
            try {
                if (!kernel.isCrashed()) {
                    PnpManager.of(kernel).removeDevice(adapter);
                    assertThat(memory.allocatedBytes())
                            .as("shared memory left after halt")
                            .isZero();
                }
            } finally {
                abandon();
            }
        }

        /** Shuts everything down without the halt-time checks (the machine crashed). */
        void abandon() {
            kernel.close();
            nic.close();
            peer.close();
            wire.a().close();
        }
    }

    private static int[] oids() {
        List<Integer> oids = new ArrayList<>();
        for (Field f : Oid.class.getDeclaredFields()) {
            if (f.getType() == int.class
                    && Modifier.isStatic(f.getModifiers())
                    && f.getName().startsWith("OID_")) {
                try {
                    oids.add(f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        oids.addAll(List.of(0, -1, 0x00FF_FF01, 0xFF00_0001, 0xFF01_0203, 0x0001_01FF));
        return oids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
