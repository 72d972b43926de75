package org.ndis4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link KernelExtension} boots the kernels of a test (method annotation wins over class; a
 * subclass inherits its superclass's, so a deterministic twin {@code extends} the threaded class).
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface KernelOptions {

    int processors() default 2;

    int criticalWorkers() default 4;

    int delayedWorkers() default 2;

    /**
     * The DPC watchdog's single-routine limit in milliseconds; 0 keeps the kernel default. Tests that
     * park a DPC or ISR on purpose (to hold a processor) raise it, so a slow machine does not trip it.
     */
    long dpcTimeoutMillis() default 0;

    /**
     * NDIS's watchdog in milliseconds (how long NDIS waits for a driver's halt, pause, OID request,
     * reset, … before 0x7C / 0x25); 0 keeps the extension's default, {@link KernelExtension#NDIS_WATCHDOG}.
     */
    long ndisWatchdogMillis() default 0;

    /**
     * How long the test (and each of its {@code @BeforeEach} and {@code @AfterEach} methods) may run
     * before {@link KernelExtension} fails it with a dump of every kernel thread: {@code "30s"},
     * {@code "500ms"}, {@code "2m"}, or {@code "off"}. Empty: the class's setting, else the system
     * property {@code ndis4j.test.timeout}, else 30 s. Unlike the rest of this annotation, a method's
     * empty timeout falls back to its class's.
     */
    String timeout() default "";
}
