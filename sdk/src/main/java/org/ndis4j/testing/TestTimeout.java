package org.ndis4j.testing;

import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How long one test (and each of its {@code @BeforeEach}/{@code @AfterEach} methods) may run under
 * {@link KernelExtension}: {@code @KernelOptions(timeout = …)} on the method, else on its class (or
 * an enclosing class), else the system property {@value #PROPERTY}, else {@link #DEFAULT}. Written
 * {@code 30s}, {@code 500ms}, {@code 2m}, a plain number of seconds, or {@code off}.
 */
final class TestTimeout {

    static final String PROPERTY = "ndis4j.test.timeout";
    static final Duration DEFAULT = Duration.ofSeconds(30);

    private TestTimeout() {}

    /** The timeout for the test of {@code context}; null means none. */
    static Duration of(ExtensionContext context) {
        String text = context.getTestMethod().map(TestTimeout::declared).orElse("");
        for (Class<?> c = context.getTestClass().orElse(null); text.isEmpty() && c != null; c = c.getEnclosingClass()) {
            text = declared(c);
        }
        if (!text.isEmpty()) {
            return parse(text, "@KernelOptions(timeout)");
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return parse(property, "-D" + PROPERTY);
        }
        return DEFAULT;
    }

    private static String declared(AnnotatedElement element) {
        KernelOptions options = element.getAnnotation(KernelOptions.class);
        return options == null ? "" : options.timeout().trim();
    }

    /** Reads "30s", "500ms", "2m", "45" (seconds) or "off" (null: no timeout). */
    static Duration parse(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("none")) {
            return null;
        }
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(
                        Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(
                        Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d.isZero() ? null : d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + ": cannot read \"" + text + "\" as a timeout (write 30s, 500ms, 2m, 45 or off)");
        }
    }
}
