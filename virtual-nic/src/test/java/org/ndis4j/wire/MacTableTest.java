package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MacTableTest {

    private static final long AGEING = 300;
    private static final Integer[] PORTS = {1000, 1001, 1002, 1003, 1004, 1005, 1006};

    @Test
    void learnsLooksUpAndMovesAStation() {
        MacTable<String> t = new MacTable<>(16, AGEING);
        t.learn(0x0200_0000_0001L, "p1", 0);
        assertThat(t.lookup(0x0200_0000_0001L, 10)).isEqualTo("p1");
        t.learn(0x0200_0000_0001L, "p2", 20);
        assertThat(t.lookup(0x0200_0000_0001L, 30)).isEqualTo("p2");
        assertThat(t.lookup(0x0200_0000_0002L, 30)).isNull();
    }

    @Test
    void entriesAgeOutOnTheInjectedClock() {
        MacTable<String> t = new MacTable<>(16, AGEING);
        t.learn(1, "p1", 1000);
        assertThat(t.lookup(1, 1000 + AGEING)).isEqualTo("p1");
        assertThat(t.lookup(1, 1000 + AGEING + 1)).isNull();
        assertThat(t.size()).isZero();
    }

    @Test
    void aFullTableRefusesNewAddressesUntilOldOnesAge() {
        MacTable<String> t = new MacTable<>(2, AGEING);
        assertThat(t.learn(1, "a", 0)).isTrue();
        assertThat(t.learn(2, "a", 0)).isTrue();
        assertThat(t.learn(3, "a", 10)).isFalse();
        assertThat(t.learn(3, "a", AGEING + 1)).isTrue();
        assertThat(t.lookup(3, AGEING + 1)).isEqualTo("a");
    }

    @Test
    void forgetRemovesOnlyThatPortsAddresses() {
        MacTable<String> t = new MacTable<>(64, AGEING);
        for (int i = 0; i < 40; i++) {
            t.learn(i, i % 2 == 0 ? "even" : "odd", 0);
        }
        t.forget("even");
        for (int i = 0; i < 40; i++) {
            assertThat(t.lookup(i, 0)).isEqualTo(i % 2 == 0 ? null : "odd");
        }
    }

    @Test
    void agreesWithAHashMapUnderRandomChurn() {
        MacTable<Integer> t = new MacTable<>(64, Long.MAX_VALUE / 4);
        Map<Long, Integer> model = new HashMap<>();
        Random r = new Random(42);
        for (int step = 0; step < 20_000; step++) {
            long mac = r.nextInt(100);
            switch (r.nextInt(3)) {
                case 0 -> {
                    if (model.containsKey(mac) || model.size() < 64) {
                        Integer port = step % 7; // ports are compared by identity, as SwitchPorts are
                        port = PORTS[port];
                        assertThat(t.learn(mac, port, 0)).isTrue();
                        model.put(mac, port);
                    }
                }
                case 1 -> {
                    Integer port =
                            model.isEmpty() ? null : model.values().iterator().next();
                    if (port != null) {
                        t.forget(port);
                        model.values().removeIf(port::equals);
                    }
                }
                default -> assertThat(t.lookup(mac, 0)).isEqualTo(model.get(mac));
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
    }
}
