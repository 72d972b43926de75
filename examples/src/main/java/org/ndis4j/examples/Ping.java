package org.ndis4j.examples;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ndis4j.examples.ipstack.EchoListener;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.Ipv4Address;

/**
 * A ping(8) session over ipstack: an echo request every {@code interval}, each waited for up to
 * {@code timeout}, a line per reply as it comes, then the statistics. The requests go out on
 * schedule whether or not earlier replies came, as ping(8) sends them; the lines are printed on the
 * caller's thread (replies arrive at DISPATCH_LEVEL and are handed over through a queue).
 *
 * <pre>
 *   PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.
 *   64 bytes from 10.0.2.2: icmp_seq=1 ttl=255 time=0.512 ms
 *   ...
 *
 *   --- 10.0.2.2 ping statistics ---
 *   3 packets transmitted, 3 received, 0% packet loss, time 2003ms
 *   rtt min/avg/max/mdev = 0.231/0.377/0.512/0.114 ms
 * </pre>
 *
 * @param target     the address to ping
 * @param count      how many requests
 * @param interval   between requests
 * @param timeout    how long each reply is waited for
 * @param size       ICMP data bytes (as {@code ping -s})
 * @param identifier the ICMP identifier of the session
 */
public record Ping(int target, int count, Duration interval, Duration timeout, int size, int identifier) {

    /** How one request ended: a reply, or nothing (null) for {@code sequence}. */
    private record Outcome(int sequence, EchoReply reply) {}

    public Ping {
        if (count < 1 || interval.isNegative() || timeout.isNegative() || timeout.isZero() || size < 0) {
            throw new IllegalArgumentException(
                    "count " + count + ", interval " + interval + ", timeout " + timeout + ", size " + size);
        }
    }

    /** The line ping(8) starts with. */
    public String header() {
        String to = Ipv4Address.format(target);
        return "PING " + to + " (" + to + ") " + size + "(" + (size + 28) + ") bytes of data.";
    }

    /**
     * Runs the session on {@code ip}, printing ping(8)'s lines to {@code out}; returns what it counted.
     * Blocks for about {@code (count - 1) × interval + timeout}.
     */
    public PingStatistics run(IpInterface ip, Consumer<String> out) throws InterruptedException {
        out.accept(header());
        PingStatistics statistics = new PingStatistics(target);
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        EchoListener listener = new EchoListener() {
            @Override
            public void replied(EchoReply reply) {
                outcomes.add(new Outcome(reply.sequence(), reply));
            }

            @Override
            public void timedOut(int id, int sequence) {
                outcomes.add(new Outcome(sequence, null));
            }
        };
        long start = System.nanoTime();
        int pending = 0;
        for (int sequence = 1; sequence <= count; sequence++) {
            long due = start + (sequence - 1) * interval.toNanos();
            pending -= drainUntil(due, outcomes, statistics, out);
            statistics.transmitted();
            if (ip.ping(target, identifier, sequence, size, timeout, listener)) {
                pending++;
            }
        }
        long last = System.nanoTime() + timeout.toNanos() + 1_000_000_000L; // the driver times out first
        while (pending > 0 && System.nanoTime() < last) {
            pending -= drainUntil(Math.min(last, System.nanoTime() + 10_000_000L), outcomes, statistics, out);
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        statistics.summary(elapsed).forEach(out);
        return statistics;
    }

    /** Prints outcomes as they come until {@code deadline} (System.nanoTime); returns how many ended. */
    private int drainUntil(
            long deadline, BlockingQueue<Outcome> outcomes, PingStatistics statistics, Consumer<String> out)
            throws InterruptedException {
        int ended = 0;
        while (true) {
            long left = deadline - System.nanoTime();
            Outcome outcome = left > 0 ? outcomes.poll(left, TimeUnit.NANOSECONDS) : outcomes.poll();
            if (outcome == null) {
                return ended;
            }
            ended++;
            EchoReply reply = outcome.reply();
            if (reply != null) {
                statistics.received(reply.rttNanos());
                out.accept(PingStatistics.replyLine(
                        Ipv4Address.format(reply.source()),
                        reply.icmpLength(),
                        reply.sequence(),
                        reply.ttl(),
                        reply.rttNanos() / 1000,
                        reply.intact()));
            }
        }
    }
}
