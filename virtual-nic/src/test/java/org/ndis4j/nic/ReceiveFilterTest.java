package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

class ReceiveFilterTest {

    private static final MacAddress OTHER_HOST = MacAddress.of("02:00:00:00:00:77");
    private static final MacAddress JOINED_GROUP = MacAddress.of("01:00:5e:00:00:fb");
    private static final MacAddress OTHER_GROUP = MacAddress.of("33:33:00:00:00:01");

    /** One frame of each destination class, in this order. */
    private static final MacAddress[] DESTINATIONS = {
        NicBench.STATION, OTHER_HOST, JOINED_GROUP, OTHER_GROUP, MacAddress.BROADCAST
    };

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @AfterEach
    void tearDown() {
        bench.close();
    }

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("nothing", 0, List.of()),
                Arguments.of("directed", Registers.RCTL_DIRECTED, List.of(NicBench.STATION)),
                Arguments.of("multicast (exact table)", Registers.RCTL_MULTICAST, List.of(JOINED_GROUP)),
                Arguments.of("all multicast", Registers.RCTL_ALL_MULTICAST, List.of(JOINED_GROUP, OTHER_GROUP)),
                Arguments.of("broadcast", Registers.RCTL_BROADCAST, List.of(MacAddress.BROADCAST)),
                Arguments.of(
                        "directed + multicast + broadcast",
                        Registers.RCTL_DIRECTED | Registers.RCTL_MULTICAST | Registers.RCTL_BROADCAST,
                        List.of(NicBench.STATION, JOINED_GROUP, MacAddress.BROADCAST)),
                Arguments.of("promiscuous", Registers.RCTL_PROMISCUOUS, List.of(DESTINATIONS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void acceptsExactlyWhatTheModeAllowsAndCountsTheRest(String mode, int receiveControl, List<MacAddress> accepted) {
        driver.start(receiveControl);
        writeEntry(0, JOINED_GROUP, true);
        driver.postReceiveBuffers(NicBench.RING_SIZE - 1);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (MacAddress destination : DESTINATIONS) {
            byte[] frame = Frames.frame(destination, 64, sent.size());
            sent.add(frame);
            if (accepted.contains(destination)) {
                expected.add(frame);
            }
        }
        bench.peer.send(sent.toArray(byte[][]::new));

        assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactlyElementsOf(expected);
        assertThat(driver.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(expected.size());
        assertThat(driver.counter(StatisticsCounter.RX_FILTERED)).isEqualTo(sent.size() - expected.size());
    }

    @Test
    void everyOneOfTheMulticastEntriesMatchesAndInvalidEntriesDoNot() {
        driver.start(Registers.RCTL_MULTICAST);
        int entries = HardwareLimits.MULTICAST_TABLE_ENTRIES;
        MacAddress[] groups = new MacAddress[entries];
        for (int i = 0; i < entries; i++) {
            groups[i] = new MacAddress(0x01_00_5e_00_01_00L + i);
            writeEntry(i, groups[i], true);
        }
        int chunk = 8; // a ring of 16 holds at most 15 posted buffers
        for (int first = 0; first < entries; first += chunk) {
            driver.postReceiveBuffers(chunk);
            byte[][] burst = new byte[chunk][];
            for (int i = 0; i < chunk; i++) {
                burst[i] = Frames.frame(groups[first + i], 64, i);
            }
            bench.peer.send(burst);
            assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(burst);
        }
        writeEntry(7, groups[7], false);
        driver.postReceiveBuffers(1);
        bench.peer.send(Frames.frame(groups[7], 64, 0));
        assertThat(driver.reap()).isEmpty();
        assertThat(driver.counter(StatisticsCounter.RX_FILTERED)).isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.RX_MULTICAST)).isEqualTo(entries);
    }

    @Test
    void directedFollowsTheStationAddressRegisters() {
        driver.start(Registers.RCTL_DIRECTED);
        assertThat(MacAddress.fromRegisters(
                        driver.registers.read32(Registers.RAL), driver.registers.read32(Registers.RAH)))
                .isEqualTo(NicBench.STATION);
        MacAddress assigned = MacAddress.of("02:aa:bb:cc:dd:ee");
        driver.registers.write32(Registers.RAL, assigned.registerLow());
        driver.registers.write32(Registers.RAH, assigned.registerHigh());
        driver.postReceiveBuffers(4);
        byte[] toNew = Frames.frame(assigned, 64, 1);
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 0), toNew);
        assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(toNew);
    }

    @Test
    void tableRegistersReadBackWhatWasWritten() {
        writeEntry(31, JOINED_GROUP, true);
        assertThat(driver.registers.read32(Registers.mtaLo(31))).isEqualTo(JOINED_GROUP.registerLow());
        assertThat(driver.registers.read32(Registers.mtaHi(31)))
                .isEqualTo(JOINED_GROUP.registerHigh() | Registers.MTA_HI_VALID);
    }

    private void writeEntry(int index, MacAddress group, boolean valid) {
        driver.registers.write32(Registers.mtaLo(index), group.registerLow());
        driver.registers.write32(Registers.mtaHi(index), group.registerHigh() | (valid ? Registers.MTA_HI_VALID : 0));
    }
}
