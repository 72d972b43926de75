package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.InMemoryWire;

class PhyTest {

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @BeforeEach
    void start() {
        driver.start(Registers.RCTL_DIRECTED);
    }

    @AfterEach
    void tearDown() {
        bench.close();
    }

    @Test
    void aReadCompletesOnlyAfterTheAccessTimeWithTheReadyBitAndTheData() {
        driver.startPhyRead(PhyRegisters.PHYID1);
        assertThat(driver.phyResult() & Registers.MDIC_READY).isZero();
        bench.timer.advance(NicBench.PHY_NANOS - 1);
        assertThat(driver.phyResult() & Registers.MDIC_READY).isZero();
        bench.timer.advance(1);
        int mdic = driver.phyResult();
        assertThat(mdic & Registers.MDIC_READY).isNotZero();
        assertThat(mdic & Registers.MDIC_ERROR).isZero();
        assertThat(mdic & Registers.MDIC_DATA_MASK).isEqualTo(PhyRegisters.PHYID1_VALUE);
        assertThat(driver.phyRead(PhyRegisters.PHYID2, bench.timer, NicBench.PHY_NANOS))
                .isEqualTo(PhyRegisters.PHYID2_VALUE);
    }

    @Test
    void aCommandWhileOneIsInProgressIsIgnoredAndCounted() {
        driver.startPhyRead(PhyRegisters.PHYID1);
        driver.startPhyRead(PhyRegisters.PHYID2);
        bench.timer.advance(NicBench.PHY_NANOS);
        assertThat(driver.phyResult() & Registers.MDIC_DATA_MASK).isEqualTo(PhyRegisters.PHYID1_VALUE);
        assertThat(driver.counter(StatisticsCounter.PHY_BUSY_ERRORS)).isEqualTo(1);
    }

    @Test
    void aCommandToAnotherPhyAddressCompletesWithError() {
        driver.registers.write32(Registers.MDIC, Registers.MDIC_OP_READ | (7 << Registers.MDIC_PHY_SHIFT));
        bench.timer.advance(NicBench.PHY_NANOS);
        assertThat(driver.phyResult() & (Registers.MDIC_READY | Registers.MDIC_ERROR))
                .isEqualTo(Registers.MDIC_READY | Registers.MDIC_ERROR);
    }

    @Test
    void injectedDelayMakesEveryAccessSlower() {
        bench.nic.faults().delayPhy(4 * NicBench.PHY_NANOS);
        driver.startPhyRead(PhyRegisters.BMSR);
        bench.timer.advance(NicBench.PHY_NANOS);
        assertThat(driver.phyResult() & Registers.MDIC_READY).isZero();
        bench.timer.advance(4 * NicBench.PHY_NANOS);
        assertThat(driver.phyResult() & Registers.MDIC_READY).isNotZero();
    }

    @Test
    void forcingSpeedAndDuplexShowsInStatusAndRaisesLinkStatusChange() {
        driver.readCause();
        driver.phyWrite(PhyRegisters.BMCR, PhyRegisters.BMCR_SPEED_LSB, bench.timer, NicBench.PHY_NANOS);
        int status = driver.registers.read32(Registers.STATUS);
        assertThat(status & Registers.STATUS_SPEED_MASK)
                .isEqualTo(Registers.STATUS_SPEED_100 << Registers.STATUS_SPEED_SHIFT);
        assertThat(status & Registers.STATUS_FULL_DUPLEX).isZero();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
        int physr = driver.phyRead(PhyRegisters.PHYSR, bench.timer, NicBench.PHY_NANOS);
        assertThat(physr >>> PhyRegisters.PHYSR_SPEED_SHIFT).isEqualTo(1);
    }

    @Test
    void powerDownTakesTheLinkDownAndPhyResetRestoresIt() {
        driver.readCause();
        driver.phyWrite(
                PhyRegisters.BMCR,
                PhyRegisters.BMCR_RESET_VALUE | PhyRegisters.BMCR_POWER_DOWN,
                bench.timer,
                NicBench.PHY_NANOS);
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP)
                .isZero();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);

        driver.phyWrite(PhyRegisters.BMCR, PhyRegisters.BMCR_RESET, bench.timer, NicBench.PHY_NANOS);
        assertThat(driver.phyRead(PhyRegisters.BMCR, bench.timer, NicBench.PHY_NANOS))
                .isEqualTo(PhyRegisters.BMCR_RESET_VALUE);
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP)
                .isNotZero();
    }

    @Test
    void readOnlyRegistersIgnoreWrites() {
        driver.phyWrite(PhyRegisters.PHYID1, 0x1234, bench.timer, NicBench.PHY_NANOS);
        assertThat(driver.phyRead(PhyRegisters.PHYID1, bench.timer, NicBench.PHY_NANOS))
                .isEqualTo(PhyRegisters.PHYID1_VALUE);
        driver.phyWrite(PhyRegisters.ANAR, 0x0061, bench.timer, NicBench.PHY_NANOS);
        assertThat(driver.phyRead(PhyRegisters.ANAR, bench.timer, NicBench.PHY_NANOS))
                .isEqualTo(0x0061);
    }

    @Test
    void withTheRealTimeTimerAReadCompletesOnTheDevicesOwnThread() throws InterruptedException {
        InMemoryWire wire = InMemoryWire.pair();
        try (VirtualNic nic = VirtualNic.builder("vnic-real-time", wire.a()).build()) {
            nic.resources()
                    .registers()
                    .write32(
                            Registers.MDIC,
                            Registers.MDIC_OP_READ
                                    | (HardwareLimits.PHY_ADDRESS << Registers.MDIC_PHY_SHIFT)
                                    | (PhyRegisters.PHYID1 << Registers.MDIC_REG_SHIFT));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int mdic;
            while (((mdic = nic.resources().registers().read32(Registers.MDIC)) & Registers.MDIC_READY) == 0
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(mdic & Registers.MDIC_READY)
                    .as("completed within the timeout")
                    .isNotZero();
            assertThat(mdic & Registers.MDIC_DATA_MASK).isEqualTo(PhyRegisters.PHYID1_VALUE);
        } finally {
            wire.a().close();
            wire.b().close();
        }
    }
}
