package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's filter block (NDIS_FILTER_BLOCK): one filter driver attached to one adapter's stack, and
 * what the filter's NdisFilterHandle is.
 */
public final class FilterModule extends NdisFilterModuleHandle {

    private final FilterDriverBlock driver;
    private final AdapterStack stack;
    private volatile Object context;
    private volatile FilterModuleState state = FilterModuleState.Detached;

    FilterModule(FilterDriverBlock driver, AdapterStack stack) {
        super(driver.kernel(), driver.name() + "@" + stack.adapterName());
        this.driver = driver;
        this.stack = stack;
    }

    public FilterDriverBlock filterDriver() {
        return driver;
    }

    /** The stack the module sits in. */
    public AdapterStack stack() {
        return stack;
    }

    /** The filter module context from NdisFSetAttributes, or null before it is set. */
    Object context() {
        return context;
    }

    public FilterModuleState state() {
        return state;
    }

    @Override
    public String driverName() {
        return driver.driverName();
    }

    /** NdisFSetAttributes, from FilterAttach only (rule Init_SetAttributes). */
    public NdisStatus setAttributes(Object filterModuleContext) {
        if (state != FilterModuleState.Attaching) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Init_SetAttributes,
                    state.ordinal(),
                    0,
                    "NdisFSetAttributes outside FilterAttach (" + name() + " is " + state + ")");
        }
        if (filterModuleContext == null) {
            return NdisStatus.INVALID_PARAMETER;
        }
        context = filterModuleContext;
        return NdisStatus.SUCCESS;
    }

    void setState(FilterModuleState newState) {
        state = newState;
    }

    /** The module's layer in its stack now (0 just above the miniport); a detached module is a violation. */
    public int layer(String function) {
        int layer = stack.filters().indexOf(this);
        if (layer < 0) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Handle_Invalid,
                    3,
                    0,
                    function + " from a module that is not attached (" + name() + ")");
        }
        return layer;
    }
}
