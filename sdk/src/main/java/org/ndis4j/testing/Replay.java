package org.ndis4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link DeterministicTest}: run one iteration that follows the trace at {@code value} (a path
 * relative to the module) instead of exploring. A run that leaves the trace fails with the step
 * where it diverged and both sides. The system property {@code ndis4j.det.replay} does the same
 * without editing the test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Replay {
    String value();
}
