package org.ndis4j.ndis.oid;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** NDIS_STATISTICS_INFO's builder sets each counter by its own name, and the rest stay 0. */
class NdisStatisticsInfoBuilderTest {

    @Test
    void eachSetterFillsTheComponentOfTheSameNameOnly() throws Exception {
        RecordComponent[] components = NdisStatisticsInfo.class.getRecordComponents();
        assertThat(components).hasSize(19);
        for (RecordComponent target : components) {
            NdisStatisticsInfo.Builder builder = NdisStatisticsInfo.builder();
            if (target.getType() == int.class) {
                NdisStatisticsInfo.Builder.class
                        .getMethod(target.getName(), int.class)
                        .invoke(builder, 77);
            } else {
                NdisStatisticsInfo.Builder.class
                        .getMethod(target.getName(), long.class)
                        .invoke(builder, 77L);
            }
            NdisStatisticsInfo info = builder.build();
            for (RecordComponent c : components) {
                Number value = (Number) c.getAccessor().invoke(info);
                assertThat(value.longValue())
                        .as("%s after setting %s", c.getName(), target.getName())
                        .isEqualTo(c == target ? 77L : 0L);
            }
        }
    }

    @Test
    void whatTheBuilderMakesEncodesAndDecodesUnchanged() {
        NdisStatisticsInfo info = NdisStatisticsInfo.builder()
                .supportedStatistics(NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV)
                .ifHCInOctets(123_456_789_012L)
                .ifHCOutBroadcastOctets(42)
                .build();

        assertThat(NdisStatisticsInfo.decode(info.encode())).isEqualTo(info);
    }
}
