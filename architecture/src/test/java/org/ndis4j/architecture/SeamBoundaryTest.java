package org.ndis4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ndis4j.architecture.fixture.BlocksBehindTheSchedulersBack;

/**
 * The sdk blocks, sleeps, spins, starts threads, reads clocks and draws random numbers only through
 * the kernel's scheduler seam ({@code org.ndis4j.kernel.internal}), so that the deterministic
 * scheduler sees every wait and owns every clock (docs/deterministic.md). The device model
 * ({@code org.ndis4j.nic}) keeps its time in its {@code DeviceTimer}, which the deterministic
 * scheduler replaces; only the real-time timer may use a thread and the wall clock.
 */
class SeamBoundaryTest {

    /**
     * The test kit's supervisor of a test's wall-clock timeout: it runs on JUnit's thread (and the
     * kit's threaded waits on its signal), never on a context of a deterministic run.
     */
    static final Set<String> ON_JUNITS_THREAD =
            Set.of("org.ndis4j.testing.TestSupervisor", "org.ndis4j.testing.Deadline", "org.ndis4j.testing.Changes");

    /** The device timer in real time: a thread of the device's own and the JVM's clock. */
    static final String REAL_TIME_DEVICE_TIMER = "org.ndis4j.nic.ExecutorDeviceTimer";

    @BeforeAll
    static void everyModuleIsThere() {
        Codebase.checkComplete();
    }

    @Test
    void theSdkWaitsAndReadsClocksOnlyThroughTheSchedulerSeam() {
        classes()
                .that(outsideTheSeam())
                .should(SeamBoundary.makeNoCallOutsideTheSeam())
                .because("the deterministic scheduler must see every wait and own every clock (docs/deterministic.md)")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void theRuleCatchesEveryKindOfCallItBans() {
        JavaClasses fixture = new ClassFileImporter().importClasses(BlocksBehindTheSchedulersBack.class);
        EvaluationResult result =
                classes().should(SeamBoundary.makeNoCallOutsideTheSeam()).evaluate(fixture);
        List<String> lines = result.getFailureReport().getDetails();
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("sleeps()")
                        .contains("Thread.sleep")
                        .contains("use Kernel.delayExecution"))
                .anySatisfy(l -> assertThat(l).contains("spins()").contains("Thread.onSpinWait"))
                .anySatisfy(l -> assertThat(l).contains("new Thread"))
                .anySatisfy(l -> assertThat(l).contains("waitsOnAMonitor()").contains("Object.wait"))
                .anySatisfy(l -> assertThat(l).contains("new ReentrantLock"))
                .anySatisfy(l -> assertThat(l).contains("takesAJavaLock()").contains("ReentrantLock.lock"))
                .anySatisfy(l -> assertThat(l).contains("waitsForAFuture(").contains("CompletableFuture.get"))
                .anySatisfy(l -> assertThat(l).contains("readsTheClock()").contains("System.nanoTime"))
                .anySatisfy(l -> assertThat(l).contains("readsTheClock()").contains("System.currentTimeMillis"))
                .anySatisfy(l -> assertThat(l).contains("readsTheClock()").contains("Instant.now"))
                .anySatisfy(
                        l -> assertThat(l).contains("usesAnExecutor()").contains("Executors.newSingleThreadExecutor"))
                .anySatisfy(l -> assertThat(l).contains("drawsARandomNumber()").contains("random numbers"))
                .anySatisfy(l -> assertThat(l).contains("hashesAnIdentity()").contains("System.identityHashCode"))
                .allSatisfy(l -> assertThat(l).contains("BlocksBehindTheSchedulersBack.java:"));
    }

    /** The sdk outside kernel.internal, less the JUnit-side supervisor; the device model, less its real-time timer. */
    private static DescribedPredicate<JavaClass> outsideTheSeam() {
        return DescribedPredicate.describe(
                "are sdk classes outside org.ndis4j.kernel.internal (but the test kit's supervisor on JUnit's thread)"
                        + " or device-model classes (org.ndis4j.nic, but its real-time timer)",
                c -> {
                    String module = Codebase.moduleOf(c);
                    String name = c.getName();
                    if ("sdk".equals(module)) {
                        return !c.getPackageName().startsWith("org.ndis4j.kernel.internal")
                                && ON_JUNITS_THREAD.stream().noneMatch(h -> name.equals(h) || name.startsWith(h + "$"));
                    }
                    return "virtual-nic".equals(module)
                            && c.getPackageName().equals("org.ndis4j.nic")
                            && !name.equals(REAL_TIME_DEVICE_TIMER)
                            && !name.startsWith(REAL_TIME_DEVICE_TIMER + "$");
                });
    }
}
