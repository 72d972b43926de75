package org.ndis4j.tools;

import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine;

/** Parses a number of seconds ({@code 10}, {@code 0.25}) into a Duration; negative or absurd values are refused. */
final class Seconds implements CommandLine.ITypeConverter<Duration> {

    /** About 31 years: far beyond any interval that makes sense, far below Duration's limits. */
    static final long MAX_SECONDS = 1_000_000_000L;

    @Override
    public Duration convert(String value) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds");
        }
        if (seconds.signum() < 0) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is negative: a number of seconds >= 0 is expected");
        }
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' seconds is more than " + MAX_SECONDS);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }
}
