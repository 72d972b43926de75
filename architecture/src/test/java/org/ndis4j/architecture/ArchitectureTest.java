package org.ndis4j.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture of docs/architecture.md, as rules over the compiled classes of every module. Each
 * rule names what it protects; the failure lists every offending dependency.
 */
class ArchitectureTest {

    /**
     * Driver code: every package under {@code org.ndis4j.examples} (vmini, linkflap, and each example
     * driver to come). The examples' own package, {@code org.ndis4j.examples}, holds hosts (demos).
     */
    static final String DRIVER_PACKAGES = "org.ndis4j.examples.*..";

    @BeforeAll
    static void everyModuleIsThere() {
        Codebase.checkComplete();
    }

    @Test
    void modulesDependOnlyInTheirDirection() {
        ArchRule rule = classes()
                .should(
                        new ArchCondition<JavaClass>(
                                "depend only on the modules their module may depend on (tools → examples → virtual-nic → sdk;"
                                        + " benchmarks on any; testcontainers on none)") {
                            @Override
                            public void check(JavaClass origin, ConditionEvents events) {
                                String from = Codebase.moduleOf(origin);
                                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                                    String to = Codebase.moduleOf(d.getTargetClass());
                                    if (from != null && to != null && !Codebase.mayDependOn(from, to)) {
                                        events.add(SimpleConditionEvent.violated(
                                                d, "module " + from + " → module " + to + ": " + d.getDescription()));
                                    }
                                }
                            }
                        });
        rule.check(Codebase.PRODUCTION);
    }

    @Test
    void theTestcontainersModuleUsesNoOtherNdis4jCode() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("org.ndis4j.testcontainers..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("org.ndis4j..").and(not(resideInAPackage("org.ndis4j.testcontainers.."))))
                .because("the testcontainers module runs ndis4j in containers and links none of it");
        rule.check(Codebase.PRODUCTION);
    }

    @Test
    void theTestcontainersModuleUsesOnlyTheJdkTestcontainersAndJackson() {
        classes()
                .that()
                .resideInAPackage("org.ndis4j.testcontainers..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "org.ndis4j.testcontainers..",
                        "org.testcontainers..",
                        // Testcontainers' own API: GenericContainer's methods take and return these.
                        "com.github.dockerjava.api..",
                        "tools.jackson..")
                .because("users add the module to their tests: it brings Testcontainers and Jackson, nothing else")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.ndis4j.(**)")
                .should()
                .beFreeOfCycles()
                .because("dependencies point one way, package by package")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void kernelInternalIsPrivateToTheKernel() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("org.ndis4j.kernel..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.ndis4j.kernel.internal..")
                .because("the scheduler seam is the kernel's; the rest of ndis4j uses Ke, Kernel and CurrentThread");
        rule.check(Codebase.PRODUCTION);
        rule.check(Codebase.TESTS);
    }

    @Test
    void driversNeverUseNdisEngine() {
        noClasses()
                .that()
                .resideInAPackage(DRIVER_PACKAGES)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.ndis4j.ndis.internal..")
                .because("a driver talks to NDIS through Ndis, NdisM, NdisF and the handles they return")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void driversNeverUseTheHostApi() {
        noClasses()
                .that()
                .resideInAPackage(DRIVER_PACKAGES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.ndis4j.host..", "org.ndis4j.testing..")
                .because("loading drivers and adding devices is the host's job, not a driver's")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void driversSeeTheDeviceOnlyThroughItsDatasheet() {
        noClasses()
                .that()
                .resideInAPackage(DRIVER_PACKAGES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.ndis4j.nic", "org.ndis4j.wire..")
                .because("a driver programs the device from its datasheet (org.ndis4j.nic.regs), as netvmini"
                        + " includes hardware.h, and never reaches into the device model or its wire")
                .check(Codebase.PRODUCTION);
    }

    @Test
    void publicSignaturesOutsideInternalPackagesNameNoInternalType() {
        codeUnits()
                .that()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage("..internal..")
                .should(new ArchCondition<JavaCodeUnit>("take and return no type of an internal package") {
                    @Override
                    public void check(JavaCodeUnit unit, ConditionEvents events) {
                        if (unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                            return;
                        }
                        unit.getParameterTypes().stream()
                                .map(t -> t.toErasure())
                                .filter(t -> t.getPackageName().contains(".internal"))
                                .forEach(t -> events.add(SimpleConditionEvent.violated(
                                        unit, unit.getFullName() + " takes " + t.getName())));
                        JavaClass returned = unit.getRawReturnType();
                        if (returned.getPackageName().contains(".internal")) {
                            events.add(SimpleConditionEvent.violated(
                                    unit, unit.getFullName() + " returns " + returned.getName()));
                        }
                    }
                })
                .because("what is public outside an internal package is API, and API hides the engine")
                .check(Codebase.PRODUCTION);
    }
}
