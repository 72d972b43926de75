package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ndis4j.testing.KitRuns.onlyFailure;
import static org.ndis4j.testing.KitRuns.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.testing.KitMiniport.Bug;

/**
 * A test that blocks forever fails after its timeout with a dump of every kernel thread, and the
 * next test runs: each case runs a test class that hangs on purpose (with a 1 s timeout) through
 * JUnit's engine.
 */
class TestTimeoutTest {

    /** Where the hanging test connects; nobody ever writes to that connection. */
    static ServerSocket silentServer;

    static Kernel firstKernel;

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "1s")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class BlocksOnASocketRead {
        @Test
        @Order(1)
        void readsForever(Kernel kernel) throws IOException {
            firstKernel = kernel;
            RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, Bug.PARK_A_WORKER));
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
            try (Socket socket = new Socket()) {
                socket.connect(silentServer.getLocalSocketAddress());
                InputStream in = socket.getInputStream();
                in.read(); // blocks: a socket read ignores interrupts
            }
        }

        @Test
        @Order(2)
        void theNextTestRuns(Kernel kernel) {
            RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, Bug.NONE));
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
        }
    }

    @Test
    void aTestBlockedOnASocketReadFailsAfterTheTimeoutWithTheThreadDumpAndTheNextTestRuns() throws IOException {
        silentServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try {
            EngineExecutionResults results = run(BlocksOnASocketRead.class);
            results.testEvents().assertStatistics(s -> s.started(2).failed(1).succeeded(1));
            Throwable failure = onlyFailure(results);
            System.out.println("[timeout] the failure JUnit reports:\n" + failure.getMessage());

            assertThat(failure).isInstanceOf(TestTimeoutFailure.class);
            assertThat(((TestTimeoutFailure) failure).timeout()).isEqualTo(Duration.ofSeconds(1));
            String message = failure.getMessage();
            assertThat(message.lines().findFirst().orElseThrow())
                    .startsWith("BlocksOnASocketRead.readsForever timed out after 1 s")
                    .contains("the test thread ignored its interrupt and is left behind")
                    .contains("kernel " + firstKernel.name() + " closed");
            String dump = ((TestTimeoutFailure) failure).threadDump();
            // The test thread, where it is stuck.
            assertThat(section(dump, "\"test-readsForever\""))
                    .contains("external, IRQL PASSIVE_LEVEL (0)")
                    .contains("waits for: a socket read")
                    .contains("at org.ndis4j.testing.TestTimeoutTest$BlocksOnASocketRead.readsForever(");
            // Every kernel thread: both processors (idle), the workers (one parked on the driver's event),
            // the PnP workers and the clock that fires timers.
            String cpu = firstKernel.name() + "-cpu";
            assertThat(section(dump, "\"" + cpu + "0\""))
                    .contains("processor 0, IRQL PASSIVE_LEVEL (0)")
                    .contains("waits for: nothing: idle, no ISR or DPC queued");
            assertThat(section(dump, "\"" + cpu + "1\"")).contains("processor 1");
            assertThat(dump)
                    .contains("\"" + firstKernel.name() + "-DelayedWorkQueue-0\" system worker")
                    .contains("\"" + firstKernel.name() + "-clock\" clock (timers)")
                    .contains("system worker, IRQL PASSIVE_LEVEL (0), running driver kitmp, WAITING\n"
                            + "      waits for: an NDIS event (NdisWaitEvent)")
                    .contains("at org.ndis4j.ndis.Ndis.waitEvent(");
            // The build went on: the kernel was closed, the next test ran on a kernel of its own.
            assertThat(firstKernel.isClosed()).isTrue();
            assertThat(firstKernel.isCrashed()).isFalse();
        } finally {
            // Closing the connection ends the read the abandoned test thread is stuck in.
            silentServer.accept().close();
            silentServer.close();
        }
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "1s")
    static class WaitsForAnEventNobodySets {
        @Test
        void waitsForever(Kernel kernel) {
            KitMiniport.start(kernel, Bug.NONE);
            CurrentThread.enter(kernel);
            Ndis.waitEvent(Ndis.initializeEvent(), 0); // 0: no timeout
        }
    }

    @Test
    void aTestWaitingOnAnEventNeverSetIsInterruptedAtTheTimeout() {
        Throwable failure = onlyFailure(run(WaitsForAnEventNobodySets.class));
        assertThat(failure).isInstanceOf(TestTimeoutFailure.class);
        assertThat(failure.getMessage().lines().findFirst().orElseThrow())
                .startsWith("WaitsForAnEventNobodySets.waitsForever timed out after 1 s")
                .contains("the test thread was interrupted and ended");
        assertThat(section(((TestTimeoutFailure) failure).threadDump(), "\"test-waitsForever\""))
                .contains("waits for: an NDIS event (NdisWaitEvent)");
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "300ms")
    static class MethodTimeoutWins {
        @Test
        @KernelOptions(timeout = "off")
        void hasNoLimit(Kernel kernel) {
            Await.until("a while", Duration.ofMillis(600), () -> false);
        }
    }

    @Test
    void aMethodsTimeoutOverridesItsClasss() {
        Throwable failure = onlyFailure(run(MethodTimeoutWins.class));
        assertThat(failure).isNotInstanceOf(TestTimeoutFailure.class);
        assertThat(failure.getMessage()).isEqualTo("timed out after 600 ms waiting for: a while");
    }

    @ExtendWith(KernelExtension.class)
    static class UsesTheDefault {
        @Test
        void waits(Kernel kernel) {
            Await.until("a while", Duration.ofSeconds(5), () -> false);
        }
    }

    @Test
    void theSystemPropertySetsTheTimeoutOfTestsThatNameNone() {
        String before = System.getProperty(TestTimeout.PROPERTY);
        System.setProperty(TestTimeout.PROPERTY, "200ms");
        try {
            Throwable failure = onlyFailure(run(UsesTheDefault.class));
            assertThat(failure).isInstanceOf(TestTimeoutFailure.class);
            assertThat(((TestTimeoutFailure) failure).timeout()).isEqualTo(Duration.ofMillis(200));
            assertThat(section(((TestTimeoutFailure) failure).threadDump(), "\"test-waits\""))
                    .contains("waits for: an await of the test kit");
        } finally {
            if (before == null) {
                System.clearProperty(TestTimeout.PROPERTY);
            } else {
                System.setProperty(TestTimeout.PROPERTY, before);
            }
        }
    }

    @Test
    void timeoutsAreReadAsWritten() {
        assertThat(TestTimeout.parse("30s", "x")).isEqualTo(Duration.ofSeconds(30));
        assertThat(TestTimeout.parse(" 500ms ", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(TestTimeout.parse("2m", "x")).isEqualTo(Duration.ofMinutes(2));
        assertThat(TestTimeout.parse("45", "x")).isEqualTo(Duration.ofSeconds(45));
        assertThat(TestTimeout.parse("off", "x")).isNull();
        assertThat(TestTimeout.parse("0", "x")).isNull();
        assertThat(TestTimeout.DEFAULT).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> TestTimeout.parse("soon", "-Dndis4j.test.timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "-Dndis4j.test.timeout: cannot read \"soon\" as a timeout (write 30s, 500ms, 2m, 45 or off)");
        assertThatThrownBy(() -> TestTimeout.parse("-5s", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The dump's lines for the thread whose line starts with {@code header}, up to the next thread. */
    static String section(String dump, String header) {
        int start = dump.indexOf("  " + header);
        assertThat(start).as("a thread %s in the dump:%n%s", header, dump).isNotNegative();
        int end = dump.indexOf("\n  \"", start + 1);
        int kernelLine = dump.indexOf("\nKernel ", start + 1);
        if (kernelLine >= 0 && (end < 0 || kernelLine < end)) {
            end = kernelLine;
        }
        return end < 0 ? dump.substring(start) : dump.substring(start, end);
    }
}
