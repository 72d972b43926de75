package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.TcpWirePort;

/**
 * {@code ndis4j ping --config FILE} boots the machine the file's {@code kernel} section describes:
 * its processors and worker threads are the threads that run (seen in this JVM while the command
 * pings a second host), and the verifier level and watchdog limits are those of the kernel it booted,
 * which it prints.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(timeout = "90s")
class PingKernelSectionIT {

    static final Duration RUN = Duration.ofSeconds(60);

    @Test
    void theKernelSectionIsTheMachinePingBoots(Kernel kernel, @TempDir Path dir) throws Exception {
        TcpWirePort listening = TcpWirePort.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Path config = Files.writeString(
                dir.resolve("ping.json"), """
                {
                  "kernel": {
                    "processors": 3, "criticalWorkers": 2, "delayedWorkers": 4, "verifier": "full",
                    "dpcTimeoutMillis": 250, "dpcWatchdogMillis": 5000, "ndisWatchdogMillis": 120000
                  },
                  "adapters": [{"wire": "connect:127.0.0.1:%d", "ip": "10.0.0.1/24"}]
                }
                """.formatted(listening.localAddress().getPort()));
        try (IpHost second = PingCommandIT.secondHost(kernel, listening)) {
            CompletableFuture<CommandRun> ping = CompletableFuture.supplyAsync(() -> CommandRun.of(
                    "ping", "--config", config.toString(), "--count", "5", "--interval", "200", "10.0.0.2"));
            // While it pings: the processors and worker threads of the kernel named "ping".
            Set<String> seen = new TreeSet<>();
            Await.until("ping's kernel threads", RUN, () -> {
                Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName)
                        .filter(n -> n.matches("ping#\\d+-.*"))
                        .map(n -> n.replaceFirst("^ping#\\d+-", "")) // the kernel's name is ping#N
                        .forEach(seen::add);
                // boot makes the processors, then the worker threads: once these are all there, so is the rest
                return seen.stream()
                                        .filter(n -> n.matches("DelayedWorkQueue-\\d+"))
                                        .count()
                                == 4
                        || ping.isDone();
            });
            CommandRun run = ping.get(RUN.toSeconds(), TimeUnit.SECONDS);
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(seen).contains("cpu0", "cpu1", "cpu2").doesNotContain("cpu3");
            assertThat(seen.stream().filter(n -> n.matches("CriticalWorkQueue-\\d+")))
                    .as("critical worker threads among %s", seen)
                    .hasSize(2);
            assertThat(seen.stream().filter(n -> n.matches("DelayedWorkQueue-\\d+")))
                    .as("delayed worker threads among %s", seen)
                    .hasSize(4);
            assertThat(run.errLines())
                    .contains(
                            "ndis4j ping: kernel ping: 3 processors, 2 critical and 4 delayed worker threads, verifier"
                                    + " full (allocation stacks recorded), DPC watchdog 250 ms per DPC and 5000 ms cumulative,"
                                    + " NDIS watchdog 120000 ms");
            assertThat(run.out()).contains("5 packets transmitted, 5 received, 0% packet loss");
            assertThat(second.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                    .isEqualTo(5);
        }
    }
}
