package org.ndis4j.kernel.internal.controlled;

import java.util.Arrays;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * The world's timers: a binary heap by deadline, then creation order. Cancelled entries leave at
 * once (each knows its heap index); the count of live WORK entries tells whether time may move.
 */
final class TimerHeap {

    private TimerEntry[] heap = new TimerEntry[64];
    private int size;
    private int liveWork;

    void add(TimerEntry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.heapIndex = size;
        heap[size++] = e;
        up(e.heapIndex);
        if (e.kind == TimeoutKind.WORK) {
            liveWork++;
        }
    }

    /** The earliest entry, or null. */
    TimerEntry peek() {
        return size == 0 ? null : heap[0];
    }

    TimerEntry poll() {
        if (size == 0) {
            return null;
        }
        TimerEntry first = heap[0];
        removeAt(0);
        return first;
    }

    /** An entry was cancelled: out of the heap. */
    void cancelled(TimerEntry e) {
        if (e.heapIndex >= 0 && e.heapIndex < size && heap[e.heapIndex] == e) {
            removeAt(e.heapIndex);
        }
    }

    /** True when a WORK deadline is pending (time may jump to it). */
    boolean hasWork() {
        return liveWork > 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The pending entries, earliest first (for reports). */
    TimerEntry[] pending() {
        TimerEntry[] copy = Arrays.copyOf(heap, size);
        Arrays.sort(copy, (a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
        return copy;
    }

    private void removeAt(int i) {
        TimerEntry gone = heap[i];
        if (gone.kind == TimeoutKind.WORK) {
            liveWork--;
        }
        gone.heapIndex = -1;
        size--;
        if (i != size) {
            TimerEntry last = heap[size];
            heap[i] = last;
            last.heapIndex = i;
            heap[size] = null;
            if (!down(i)) {
                up(i);
            }
        } else {
            heap[size] = null;
        }
    }

    private void up(int i) {
        TimerEntry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerEntry p = heap[parent];
            if (!e.before(p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    /** True when the entry moved. */
    private boolean down(int i) {
        int start = i;
        TimerEntry e = heap[i];
        for (; ; ) {
            int left = 2 * i + 1;
            if (left >= size) {
                break;
            }
            int right = left + 1;
            int child = right < size && heap[right].before(heap[left]) ? right : left;
            if (!heap[child].before(e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
        return i != start;
    }
}
