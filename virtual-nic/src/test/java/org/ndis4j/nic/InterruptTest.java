package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

class InterruptTest {

    private static final long MICROS = 1_000;

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @BeforeEach
    void start() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.postReceiveBuffers(NicBench.RING_SIZE - 1);
    }

    @AfterEach
    void tearDown() {
        bench.close();
    }

    private void receiveOne(int seed) {
        bench.peer.send(Frames.frame(NicBench.STATION, 64, seed));
    }

    @Test
    void causeRegisterIsReadToClear() {
        receiveOne(1);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX | Registers.INT_TX_DONE);
        assertThat(driver.readCause()).isZero();
    }

    @Test
    void maskedCausesAccumulateWithoutRaisingTheLineAndUnmaskingRaisesItOnce() {
        long before = bench.raised();
        receiveOne(1);
        receiveOne(2);
        assertThat(bench.raised()).as("everything is masked after power-up").isEqualTo(before);

        driver.unmask(Registers.INT_RX);
        assertThat(bench.raised()).isEqualTo(before + 1);
        assertThat(driver.registers.read32(Registers.IMS)).isEqualTo(Registers.INT_RX);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX);
    }

    @Test
    void whileTheCauseIsUnreadFurtherEventsDoNotRaiseAgain() {
        driver.unmask(Registers.INT_ALL);
        long before = bench.raised();
        receiveOne(1);
        receiveOne(2);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(bench.raised()).isEqualTo(before + 1);

        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX | Registers.INT_TX_DONE);
        receiveOne(3);
        assertThat(bench.raised()).as("after the read, the next event raises").isEqualTo(before + 2);
    }

    @Test
    void maskClearSuppressesAndMaskSetRestoresTheIsrDpcPattern() {
        driver.unmask(Registers.INT_ALL);
        long before = bench.raised();
        receiveOne(1);
        assertThat(bench.raised()).isEqualTo(before + 1);

        // ISR: mask everything, read and acknowledge the causes
        driver.mask(Registers.INT_ALL);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX);
        // frames keep coming while the DPC runs: no interrupt
        receiveOne(2);
        receiveOne(3);
        assertThat(bench.raised()).isEqualTo(before + 1);
        assertThat(driver.reap()).hasSize(3);
        // DPC done: re-enable; the cause that came meanwhile raises at once
        driver.unmask(Registers.INT_ALL);
        assertThat(bench.raised()).isEqualTo(before + 2);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX);
    }

    @Test
    void maskedCausesStayInTheCauseRegister() {
        driver.unmask(Registers.INT_TX_DONE);
        long before = bench.raised();
        receiveOne(1);
        assertThat(bench.raised()).isEqualTo(before);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(bench.raised()).isEqualTo(before + 1);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX | Registers.INT_TX_DONE);
    }

    @Test
    void causeSetRegisterRaisesSoftwareInterrupts() {
        driver.unmask(Registers.INT_LINK_STATUS_CHANGE);
        long before = bench.raised();
        driver.registers.write32(Registers.ICS, Registers.INT_LINK_STATUS_CHANGE | 0x8000_0000);
        assertThat(bench.raised()).isEqualTo(before + 1);
        assertThat(driver.readCause()).as("unimplemented bits are not set").isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
    }

    @Test
    void moderationDefersARaiseToTheIntervalsEndAndCoalescesCauses() {
        driver.registers.write32(Registers.ITR, 100);
        assertThat(driver.registers.read32(Registers.ITR)).isEqualTo(100);
        driver.unmask(Registers.INT_ALL);
        long before = bench.raised();

        receiveOne(1);
        assertThat(bench.raised()).as("the first raise is not delayed").isEqualTo(before + 1);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX);

        bench.timer.advance(10 * MICROS);
        receiveOne(2);
        bench.timer.advance(10 * MICROS);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        bench.timer.advance(10 * MICROS);
        receiveOne(3);
        assertThat(bench.raised()).as("inside the interval: deferred").isEqualTo(before + 1);

        bench.timer.advance(69 * MICROS);
        assertThat(bench.raised()).as("99 µs after the first").isEqualTo(before + 1);
        bench.timer.advance(1 * MICROS);
        assertThat(bench.raised()).as("100 µs: one raise for all three events").isEqualTo(before + 2);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX | Registers.INT_TX_DONE);
        assertThat(driver.counter(StatisticsCounter.INTERRUPTS_RAISED)).isEqualTo(bench.raised());
    }

    @Test
    void aDeferredRaiseWhoseCausesWereReadMeanwhileRaisesNothing() {
        driver.registers.write32(Registers.ITR, 50);
        driver.unmask(Registers.INT_ALL);
        receiveOne(1);
        driver.readCause();
        long after = bench.raised();
        bench.timer.advance(5 * MICROS);
        receiveOne(2);
        assertThat(driver.readCause()).as("polled by the driver").isEqualTo(Registers.INT_RX);
        bench.timer.advance(100 * MICROS);
        assertThat(bench.raised()).isEqualTo(after);
    }

    @Test
    void afterTheIntervalHasPassedARaiseIsImmediate() {
        driver.registers.write32(Registers.ITR, 50);
        driver.unmask(Registers.INT_ALL);
        long before = bench.raised();
        receiveOne(1);
        driver.readCause();
        bench.timer.advance(50 * MICROS);
        receiveOne(2);
        assertThat(bench.raised()).isEqualTo(before + 2);
    }

    @Test
    void withoutModerationEveryAssertionRaises() {
        driver.unmask(Registers.INT_ALL);
        long before = bench.raised();
        for (int i = 0; i < 5; i++) {
            receiveOne(i);
            driver.readCause();
        }
        assertThat(bench.raised()).isEqualTo(before + 5);
        assertThat(bench.timer.pendingTasks()).isZero();
    }
}
