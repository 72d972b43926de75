package org.ndis4j.ndis;

import java.lang.reflect.Method;

/** NdisFilterDriverHandle: what NdisFRegisterFilterDriver returns. */
public final class NdisFilterDriverHandle extends NdisHandle {

    private final DriverObject driverObject;
    private final FilterDriver<?> characteristics;
    private final Object filterDriverContext;
    private final boolean handlesStatus;
    private final boolean handlesOidRequest;
    private final boolean handlesOidRequestComplete;

    NdisFilterDriverHandle(DriverObject driverObject, Object filterDriverContext, FilterDriver<?> characteristics) {
        super(driverObject.kernel(), HandleKind.FILTER_DRIVER, driverObject.driverName());
        this.driverObject = driverObject;
        this.characteristics = characteristics;
        this.filterDriverContext = filterDriverContext;
        this.handlesStatus = overrides(characteristics, "status", Object.class, NdisStatusIndication.class);
        this.handlesOidRequest = overrides(characteristics, "oidRequest", Object.class, Object.class);
        this.handlesOidRequestComplete = overrides(characteristics, "oidRequestComplete", Object.class,
                Object.class, Object.class);
    }

    public DriverObject driverObject() {
        return driverObject;
    }

    public Object filterDriverContext() {
        return filterDriverContext;
    }

    @Override
    public String driverName() {
        return driverObject.driverName();
    }

    FilterDriver<?> characteristics() {
        return characteristics;
    }

    boolean handlesStatus() {
        return handlesStatus;
    }

    boolean handlesOidRequest() {
        return handlesOidRequest;
    }

    boolean handlesOidRequestComplete() {
        return handlesOidRequestComplete;
    }

    /** True when the filter's class overrides an optional handler (a non-NULL entry point in C). */
    static boolean overrides(Object handlers, String name, Class<?>... parameters) {
        for (Class<?> c = handlers.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == parameters.length && !m.isBridge()
                        && !m.isSynthetic()) {
                    return true;
                }
            }
        }
        return false;
    }
}
