package org.ndis4j.ndis;

import java.util.EnumSet;
import java.util.Set;

/** NdisFilterDriverHandle: what NdisFRegisterFilterDriver returns. */
public final class NdisFilterDriverHandle extends NdisHandle {

    private final DriverObject driverObject;
    private final FilterDriver<?> characteristics;
    private final Object filterDriverContext;
    /** The optional handlers the filter provides; the others are bypassed. */
    private final Set<FilterHandler> handlers = EnumSet.noneOf(FilterHandler.class);

    NdisFilterDriverHandle(DriverObject driverObject, Object filterDriverContext, FilterDriver<?> characteristics) {
        super(driverObject.kernel(), HandleKind.FILTER_DRIVER, driverObject.driverName());
        this.driverObject = driverObject;
        this.characteristics = characteristics;
        this.filterDriverContext = filterDriverContext;
        for (FilterHandler h : FilterHandler.values()) {
            if (OptionalHandlers.overrides(characteristics, h.method, h.parameters)) {
                handlers.add(h);
            }
        }
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

    /** True when the filter provides optional handler {@code h}. */
    boolean handles(FilterHandler h) {
        return handlers.contains(h);
    }
}
