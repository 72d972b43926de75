package org.ndis4j.ndis.internal;

import java.util.List;

/**
 * How NDIS finds the next module on a path through a stack: the nearest filter module below (toward
 * the miniport) or above (toward the protocols) a layer whose driver has the path's handler. A
 * module without it is bypassed, as NDIS bypasses a NULL entry point. Every path uses it: sends,
 * returns and OID requests go below; send completions, receives and status indications go above.
 * The caller passes the snapshot of the stack it read once, so the walk is consistent; index loops,
 * so nothing is allocated.
 *
 * <pre>
 *   layer filters.size()   (the protocols)          above(-1, h): from the miniport up
 *   layer k                filter module            below(filters.size(), h): from the protocols down
 *   layer 0                filter module
 *   layer -1               (the miniport)
 * </pre>
 */
final class StackWalk {

    private StackWalk() {}

    /** The nearest module below {@code fromLayer} with handler {@code h}, or null: the miniport is next. */
    static FilterModule below(List<FilterModule> filters, int fromLayer, FilterHandler h) {
        for (int i = fromLayer - 1; i >= 0; i--) {
            FilterModule module = filters.get(i);
            if (module.filterDriver().handles(h)) {
                return module;
            }
        }
        return null;
    }

    /** The nearest module above {@code fromLayer} with handler {@code h}, or null: the protocols are next. */
    static FilterModule above(List<FilterModule> filters, int fromLayer, FilterHandler h) {
        for (int i = fromLayer + 1; i < filters.size(); i++) {
            FilterModule module = filters.get(i);
            if (module.filterDriver().handles(h)) {
                return module;
            }
        }
        return null;
    }
}
