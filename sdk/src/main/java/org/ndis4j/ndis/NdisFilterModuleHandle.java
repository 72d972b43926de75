package org.ndis4j.ndis;

/**
 * NdisFilterHandle: one filter module, i.e. one filter driver attached to one adapter. A filter
 * allocates its I/O work items and timers with it.
 */
public final class NdisFilterModuleHandle extends NdisHandle {

    private final NdisFilterDriverHandle driver;
    final AdapterStack stack;
    private volatile Object context;
    private volatile FilterModuleState state = FilterModuleState.Detached;

    NdisFilterModuleHandle(NdisFilterDriverHandle driver, AdapterStack stack) {
        super(driver.kernel(), HandleKind.FILTER_MODULE, driver.name() + "@" + stack.adapterName());
        this.driver = driver;
        this.stack = stack;
    }

    public NdisFilterDriverHandle filterDriver() {
        return driver;
    }

    /** The filter module context from NdisFSetAttributes, or null before it is set. */
    public Object filterModuleContext() {
        return context;
    }

    public FilterModuleState state() {
        return state;
    }

    @Override
    public String driverName() {
        return driver.driverName();
    }

    void setContext(Object filterModuleContext) {
        context = filterModuleContext;
    }

    void setState(FilterModuleState newState) {
        state = newState;
    }
}
