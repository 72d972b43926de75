package org.ndis4j.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A learning switch written the obvious way, with maps and lists and no concern for speed: the
 * executable specification {@link SwitchFuzzTest} holds {@link SwitchFabric} to. It says, for every
 * port, how many frames the switch received, filtered and offered to it (what it must then have
 * transmitted, dropped or still queued), and when a port must close.
 */
final class SwitchModel {

    /** One port slot, with what the switch must have counted for it. */
    static final class Slot {
        final int number;
        Object peer;
        boolean adminUp = true;
        ReferenceFraming framing;
        long lastRead;
        long partialSince = -1;
        long rx;
        long filtered;
        long offered;
        final Map<FrameError, Long> errors = new EnumMap<>(FrameError.class);

        Slot(int number) {
            this.number = number;
        }
    }

    private final int maxFrameLength;
    private final int maxPorts;
    private final TreeMap<Integer, Slot> slots = new TreeMap<>();
    private final Map<Long, Slot> table = new HashMap<>();
    /** What removed slots had counted. */
    long departedRx;

    long departedFiltered;
    long departedOffered;
    final Map<FrameError, Long> departedErrors = new EnumMap<>(FrameError.class);
    long refused;
    long idleClosed;
    long mirrorOffered;
    private int connected;

    SwitchModel(int maxFrameLength, int maxPorts) {
        this.maxFrameLength = maxFrameLength;
        this.maxPorts = maxPorts;
    }

    /** A connection arrives: the slot it takes, or null when it is refused. */
    Slot plug(Object peer, long now) {
        if (connected >= maxPorts) {
            refused++;
            return null;
        }
        int n = 1;
        while (slots.containsKey(n) && slots.get(n).peer != null) {
            n++;
        }
        Slot s = slots.computeIfAbsent(n, Slot::new);
        if (!s.adminUp) {
            return null;
        }
        s.peer = peer;
        s.framing = new ReferenceFraming(maxFrameLength);
        s.lastRead = now;
        s.partialSince = -1;
        connected++;
        return s;
    }

    /**
     * The connection of {@code s} ends: closed by the peer or by an admin down (a frame cut short is
     * then TRUNCATED), or by the switch itself for an error or idleness ({@code countTruncation} false).
     */
    void unplug(Slot s, boolean countTruncation) {
        if (s.peer == null) {
            return;
        }
        FrameError truncated = countTruncation && s.framing.error() == null ? s.framing.finish() : null;
        if (truncated != null) {
            s.errors.merge(truncated, 1L, Long::sum);
        }
        s.peer = null;
        connected--;
        table.values().removeIf(owner -> owner == s);
        if (s.adminUp) {
            remove(s);
        }
    }

    private void remove(Slot s) {
        slots.remove(s.number);
        departedRx += s.rx;
        departedFiltered += s.filtered;
        departedOffered += s.offered;
        s.errors.forEach((e, n) -> departedErrors.merge(e, n, Long::sum));
    }

    /** Admin up/down of slot {@code number}; returns the slot whose connection must now close, or null. */
    Slot setAdminUp(int number, boolean up) {
        Slot s = slots.computeIfAbsent(number, Slot::new);
        s.adminUp = up;
        if (!up && s.peer != null) {
            return s;
        }
        if (up && s.peer == null) {
            remove(s);
        }
        return null;
    }

    /**
     * Bytes arrive on {@code s} at {@code now}: the frames they complete are switched. Returns true
     * when the stream broke, so the switch must close the port.
     */
    boolean bytes(Slot s, byte[] chunk, long now) {
        s.lastRead = now;
        List<byte[]> frames = s.framing.feed(chunk);
        for (byte[] frame : frames) {
            s.rx++;
            switchFrame(s, frame, now);
        }
        if (s.framing.error() != null) {
            s.errors.merge(s.framing.error(), 1L, Long::sum);
            return true;
        }
        if (!s.framing.holdsPartial()) {
            s.partialSince = -1;
        } else if (s.partialSince < 0 || !frames.isEmpty()) {
            s.partialSince = now; // a frame in progress; the clock restarts with every frame completed
        }
        return false;
    }

    private void switchFrame(Slot in, byte[] frame, long now) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        long destination = b.getLong(0) >>> 16;
        long source = b.getLong(6) >>> 16;
        if (!EthernetFrames.isGroupAddress(source)) {
            table.put(source, in);
        }
        Slot out = EthernetFrames.isGroupAddress(destination) ? null : table.get(destination);
        if (out == in) {
            in.filtered++;
            return;
        }
        if (out != null && out.peer != null && out.adminUp) {
            out.offered++;
        } else {
            for (Slot other : slots.values()) {
                if (other != in && other.peer != null && other.adminUp) {
                    other.offered++;
                }
            }
        }
        mirrorOffered++;
    }

    /**
     * The timeout sweep at {@code now}: the slots the switch must close, each with whether it was
     * for idleness (else a stalled frame, counted as STALLED).
     */
    List<Slot> sweep(long now, long partialNanos, long idleNanos) {
        List<Slot> closing = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.peer == null) {
                continue;
            }
            if (partialNanos > 0 && s.partialSince >= 0 && now - s.partialSince > partialNanos) {
                s.framing.stall();
                s.errors.merge(FrameError.STALLED, 1L, Long::sum);
                closing.add(s);
            } else if (idleNanos > 0 && now - s.lastRead > idleNanos) {
                idleClosed++;
                closing.add(s);
            }
        }
        return closing;
    }

    Slot slot(int number) {
        return slots.get(number);
    }

    List<Slot> connectedSlots() {
        return slots.values().stream().filter(s -> s.peer != null).toList();
    }

    List<Slot> allSlots() {
        return List.copyOf(slots.values());
    }
}
