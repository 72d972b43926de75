package org.ndis4j.tools.bench;

import java.util.List;

/**
 * One benchmark of {@code ndis4j bench}. It reports its progress in units it chooses (frames,
 * samples) and returns one {@link Result} per subject it measured: the thing under test and,
 * where one is installed, a reference measured the same way in the same run.
 */
public interface Benchmark {

    /** A short name for {@code --only} and JSON: {@code switch-64}. */
    String name();

    /** One line for the table and {@code --list}. */
    String description();

    /** How many progress units {@link #run} will report in all. */
    long work(BenchSettings settings);

    List<Result> run(BenchSettings settings, Progress progress) throws Exception;
}
