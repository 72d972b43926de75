package org.ndis4j.examples.races;

import org.ndis4j.hw.DeviceResources;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;

/** What {@link RaceDriver} needs of a race's adapter: the race itself is in the adapter's file. */
interface RaceAdapter {

    /** MiniportHaltEx's work. Runs at PASSIVE_LEVEL. */
    void halt();

    /** The adapter's MiniportInitializeEx: null when an allocation failed (the driver returns RESOURCES). */
    @FunctionalInterface
    interface Initializer<A extends RaceAdapter> {
        A initialize(NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant);
    }
}
