package org.ndis4j.examples;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ndis4j.examples.ipstack.Ipv4Address;

/**
 * What a ping session counted, and the lines ping(8) (iputils) prints for it: a line per reply, and
 * the summary with packet loss and rtt min/avg/max/mdev.
 */
public final class PingStatistics {

    private final int target;
    private int transmitted;
    private final List<Long> rttMicros = new ArrayList<>();

    PingStatistics(int target) {
        this.target = target;
    }

    void transmitted() {
        transmitted++;
    }

    void received(long rttNanos) {
        rttMicros.add(rttNanos / 1000);
    }

    public int transmittedCount() {
        return transmitted;
    }

    public int receivedCount() {
        return rttMicros.size();
    }

    /** Round-trip times in microseconds, in the order the replies came. */
    public List<Long> rttMicros() {
        return List.copyOf(rttMicros);
    }

    public double lossPercent() {
        return transmitted == 0 ? 0 : (transmitted - receivedCount()) * 100.0 / transmitted;
    }

    /** {@code 64 bytes from 10.0.2.2: icmp_seq=1 ttl=255 time=0.512 ms}, as iputils prints a reply. */
    static String replyLine(String from, int icmpBytes, int sequence, int ttl, long rttMicros, boolean intact) {
        return icmpBytes + " bytes from " + from + ": icmp_seq=" + sequence + " ttl=" + ttl + " time=" + time(rttMicros)
                + " ms" + (intact ? "" : " (wrong data)");
    }

    /** iputils' precision: three decimals under 1 ms, two under 10 ms, one under 100 ms, none above. */
    static String time(long micros) {
        if (micros >= 100_000 - 50) {
            return Long.toString((micros + 500) / 1000);
        } else if (micros >= 10_000 - 5) {
            return (micros + 50) / 1000 + "." + ((micros + 50) % 1000) / 100;
        } else if (micros >= 1000) {
            return String.format(Locale.ROOT, "%d.%02d", (micros + 5) / 1000, ((micros + 5) % 1000) / 10);
        }
        return String.format(Locale.ROOT, "%d.%03d", micros / 1000, micros % 1000);
    }

    /** The summary ping(8) prints at the end: a blank line, the header, the counts, and rtt when any came. */
    public List<String> summary(long elapsedMillis) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("--- " + Ipv4Address.format(target) + " ping statistics ---");
        lines.add(transmitted + " packets transmitted, " + receivedCount() + " received, " + percent(lossPercent())
                + "% packet loss, time " + elapsedMillis + "ms");
        if (!rttMicros.isEmpty()) {
            long min = Long.MAX_VALUE;
            long max = 0;
            long sum = 0;
            double sum2 = 0;
            for (long rtt : rttMicros) {
                min = Math.min(min, rtt);
                max = Math.max(max, rtt);
                sum += rtt;
                sum2 += (double) rtt * rtt;
            }
            long avg = sum / rttMicros.size();
            double mean = (double) sum / rttMicros.size();
            long mdev = (long) Math.sqrt(Math.max(0, sum2 / rttMicros.size() - mean * mean));
            lines.add(String.format(
                    Locale.ROOT,
                    "rtt min/avg/max/mdev = %d.%03d/%d.%03d/%d.%03d/%d.%03d ms",
                    min / 1000,
                    min % 1000,
                    avg / 1000,
                    avg % 1000,
                    max / 1000,
                    max % 1000,
                    mdev / 1000,
                    mdev % 1000));
        }
        return lines;
    }

    /** C's {@code %g}: six significant digits, no trailing zeros (33.3333, 25, 0). */
    static String percent(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }
}
