package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.TransmitDescriptor;

class LinkTest {

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @BeforeEach
    void start() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.unmask(Registers.INT_LINK_STATUS_CHANGE);
    }

    @AfterEach
    void tearDown() {
        bench.close();
    }

    private int status() {
        return driver.registers.read32(Registers.STATUS);
    }

    @Test
    void linkComesUpAtPowerOnAt1000FullDuplex() {
        assertThat(status())
                .isEqualTo(Registers.STATUS_LINK_UP
                        | Registers.STATUS_FULL_DUPLEX
                        | (Registers.STATUS_SPEED_1000 << Registers.STATUS_SPEED_SHIFT));
    }

    @Test
    void carrierLossRaisesLinkStatusChangeAndClearsTheLinkBitAndReconnectSetsIt() {
        long before = bench.raised();
        bench.wire.cut();
        assertThat(bench.raised()).isEqualTo(before + 1);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
        assertThat(status() & Registers.STATUS_LINK_UP).isZero();
        assertThat(driver.phyRead(PhyRegisters.PHYSR, bench.timer, NicBench.PHY_NANOS) & PhyRegisters.PHYSR_LINK)
                .isZero();

        bench.wire.reconnect();
        assertThat(bench.raised()).isEqualTo(before + 2);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
        assertThat(status() & Registers.STATUS_LINK_UP).isEqualTo(Registers.STATUS_LINK_UP);
        assertThat(driver.phyRead(PhyRegisters.PHYSR, bench.timer, NicBench.PHY_NANOS) & PhyRegisters.PHYSR_LINK)
                .isEqualTo(PhyRegisters.PHYSR_LINK);
    }

    @Test
    void theBasicStatusLinkBitIsLatchedLowUntilRead() {
        bench.wire.cut();
        bench.wire.reconnect();
        assertThat(driver.phyRead(PhyRegisters.BMSR, bench.timer, NicBench.PHY_NANOS) & PhyRegisters.BMSR_LINK_STATUS)
                .as("the failure is reported once")
                .isZero();
        assertThat(driver.phyRead(PhyRegisters.BMSR, bench.timer, NicBench.PHY_NANOS) & PhyRegisters.BMSR_LINK_STATUS)
                .isEqualTo(PhyRegisters.BMSR_LINK_STATUS);
    }

    @Test
    void pullingTheCableTakesTheLinkDownWhileTheWireStaysConnected() {
        bench.nic.faults().pullCable();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
        assertThat(status() & Registers.STATUS_LINK_UP).isZero();
        assertThat(bench.wire.a().isCarrierUp()).isTrue();

        int slot = driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(driver.transmitStatus(slot) & TransmitDescriptor.STATUS_ERR_NO_CARRIER)
                .isNotZero();
        assertThat(bench.peer.frames).isEmpty();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_TX_DONE);

        bench.wire.cut();
        bench.wire.reconnect();
        assertThat(status() & Registers.STATUS_LINK_UP).as("still unplugged").isZero();
        assertThat(driver.readCause()).as("no change while unplugged").isZero();

        bench.nic.faults().replugCable();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_LINK_STATUS_CHANGE);
        assertThat(status() & Registers.STATUS_LINK_UP).isEqualTo(Registers.STATUS_LINK_UP);
    }

    @Test
    void aRepeatedCarrierStateIsNoChange() {
        bench.nic.faults().replugCable();
        assertThat(driver.readCause()).isZero();
    }
}
