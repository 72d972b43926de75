package org.ndis4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** How {@link KernelExtension} boots the kernels of a test (method annotation wins over class). */
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
}
