package org.ndis4j.ndis.internal;

import java.util.EnumSet;
import java.util.Set;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.types.NdisFilterDriverHandle;

/** NDIS's filter driver block: what NdisFRegisterFilterDriver's handle is. */
public final class FilterDriverBlock extends NdisFilterDriverHandle {

    private final LoadedDriver driverObject;
    private final FilterDriver<?> characteristics;
    private final Object filterDriverContext;
    /** The optional handlers the filter provides; the others are bypassed. */
    private final Set<FilterHandler> handlers = EnumSet.noneOf(FilterHandler.class);

    private volatile boolean deregistered;

    private FilterDriverBlock(LoadedDriver driverObject, Object filterDriverContext, FilterDriver<?> characteristics) {
        super(driverObject.kernel(), driverObject.driverName());
        this.driverObject = driverObject;
        this.characteristics = characteristics;
        this.filterDriverContext = filterDriverContext;
        for (FilterHandler h : FilterHandler.values()) {
            if (OptionalHandlers.overrides(characteristics, h.method, h.parameters)) {
                handlers.add(h);
            }
        }
    }

    /**
     * NdisFRegisterFilterDriver, after the entry point checked IRQL: NDIS attaches the filter to every
     * adapter added from now on, and rebuilds the running stacks with it on top.
     */
    public static FilterDriverBlock register(
            LoadedDriver driverObject, Object filterDriverContext, FilterDriver<?> characteristics) {
        FilterDriverBlock filter = new FilterDriverBlock(driverObject, filterDriverContext, characteristics);
        driverObject.setFilter(filter);
        NdisLibrary.of(filter.kernel()).registered(filter);
        PlugAndPlay.of(filter.kernel()).filterRegistered(filter);
        return filter;
    }

    /** NdisFDeregisterFilterDriver: NDIS detaches the filter from every adapter. */
    public void deregister() {
        deregistered = true;
        NdisLibrary.of(kernel()).deregistered(this);
        PlugAndPlay.of(kernel()).filterDeregistered(this);
    }

    /** True once NdisFDeregisterFilterDriver took the handle away. */
    public boolean isDeregistered() {
        return deregistered;
    }

    /** The FilterDriverContext given at registration; FilterAttach gets it back. */
    Object filterDriverContext() {
        return filterDriverContext;
    }

    @Override
    public String driverName() {
        return driverObject.driverName();
    }

    /** The DRIVER_OBJECT whose DriverEntry registered this filter. */
    LoadedDriver driverObject() {
        return driverObject;
    }

    @SuppressWarnings("unchecked")
    FilterDriver<Object> characteristics() {
        return (FilterDriver<Object>) characteristics;
    }

    /** True when the filter provides optional handler {@code h}. */
    boolean handles(FilterHandler h) {
        return handlers.contains(h);
    }
}
