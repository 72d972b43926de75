package org.ndis4j.tools.bench;

import java.util.List;
import java.util.Map;

/**
 * What one subject scored in one benchmark: the value of each run, their median, and figures that
 * explain it ({@code loss}, {@code p99}, the ratio to a reference).
 *
 * @param benchmark the benchmark's name
 * @param subject   what was measured: {@code ndis4j switch}, {@code relaylimit}, {@code QEMU hub}, ...
 * @param metric    what the value is: {@code frames/s}, {@code p50 latency}
 * @param unit      the unit of {@code runs} and {@code median}: {@code Mpps}, {@code µs}
 * @param runs      one value per run
 * @param median    the median of {@code runs}
 * @param details   further figures, by name, for the table's last column and for JSON
 */
public record Result(
        String benchmark,
        String subject,
        String metric,
        String unit,
        List<Double> runs,
        double median,
        Map<String, Object> details) {

    public static Result of(
            String benchmark,
            String subject,
            String metric,
            String unit,
            List<Double> runs,
            Map<String, Object> details) {
        return new Result(benchmark, subject, metric, unit, List.copyOf(runs), Samples.median(runs), details);
    }
}
