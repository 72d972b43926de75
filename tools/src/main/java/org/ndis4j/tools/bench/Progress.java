package org.ndis4j.tools.bench;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where a benchmark reports how far it got. On a terminal, a progress bar on stderr; without one
 * (CI, pipes, {@code --json}), nothing.
 */
public interface Progress extends AutoCloseable {

    /** {@code units} more of the benchmark's work are done. */
    void step(long units);

    /** What is running now, shown next to the bar. */
    void phase(String text);

    @Override
    void close();

    Progress NONE = new Progress() {
        @Override
        public void step(long units) {}

        @Override
        public void phase(String text) {}

        @Override
        public void close() {}
    };

    /** A bar when a console is attached, else {@link #NONE}. */
    static Progress forConsole(String task, long total) {
        if (System.console() == null) {
            return NONE;
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200)
                .build();
        return new Progress() {
            @Override
            public void step(long units) {
                bar.stepBy(units);
            }

            @Override
            public void phase(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
