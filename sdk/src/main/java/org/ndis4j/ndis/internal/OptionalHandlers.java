package org.ndis4j.ndis.internal;

import java.lang.reflect.Method;

/**
 * Which optional handlers a driver provides. In C an optional entry point is NULL or not; in Java
 * a handler interface has defaults, and NDIS bypasses a handler the driver's class does not
 * override, as it bypasses a NULL entry point.
 */
final class OptionalHandlers {

    private OptionalHandlers() {}

    /** True when the class of {@code handlers} overrides the method {@code name} with that many parameters. */
    static boolean overrides(Object handlers, String name, int parameterCount) {
        for (Class<?> c = handlers.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && m.getParameterCount() == parameterCount
                        && !m.isBridge()
                        && !m.isSynthetic()) {
                    return true;
                }
            }
        }
        return false;
    }
}
