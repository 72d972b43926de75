package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void registerEncodingPutsTheFirstWireByteInTheLowBitsOfTheLowRegister() {
        MacAddress address = MacAddress.of("aa:bb:cc:dd:ee:ff");
        assertThat(address.registerLow()).isEqualTo(0xddccbbaa);
        assertThat(address.registerHigh()).isEqualTo(0xffee);
        assertThat(MacAddress.fromRegisters(0xddccbbaa, 0x8000ffee)).isEqualTo(address);
        assertThat(address).hasToString("aa:bb:cc:dd:ee:ff");
        assertThat(MacAddress.of(address.bytes(), 0)).isEqualTo(address);
    }

    @Test
    void groupBitIsBitZeroOfTheFirstByte() {
        assertThat(MacAddress.of("01:00:5e:00:00:01").isGroup()).isTrue();
        assertThat(MacAddress.BROADCAST.isGroup()).isTrue();
        assertThat(MacAddress.of("02:00:00:00:00:01").isGroup()).isFalse();
    }

    @Test
    void rejectsWhatIsNotAnAddress() {
        assertThatThrownBy(() -> MacAddress.of("aa:bb:cc")).hasMessageContaining("aa:bb:cc");
        assertThatThrownBy(() -> MacAddress.of("aa:bb:cc:dd:ee:100")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
    }
}
