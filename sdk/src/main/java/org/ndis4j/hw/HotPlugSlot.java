package org.ndis4j.hw;

/**
 * The hot-plug slot a device sits in: the bus's presence detect. When the card is pulled, the device
 * (or a test pulling it) calls {@link #surpriseRemove()} from any thread; the PnP manager, which
 * listens from the moment it added the device, then runs the surprise-removal path on a system thread
 * (MiniportDevicePnPEventNotify with NdisDevicePnPEventSurpriseRemoved, then pause and halt). Like
 * {@link InterruptLine}, a bridge: nothing of the driver runs on the caller's thread.
 */
public final class HotPlugSlot {

    /** The PnP manager's side: told once, on the remover's thread; must not block. */
    @FunctionalInterface
    public interface Listener {
        void surpriseRemoved();
    }

    private final String name;
    private volatile boolean present = true;
    private Listener listener;

    public HotPlugSlot(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Device side: the card is gone. The first call tells the listener; later ones do nothing. */
    public void surpriseRemove() {
        Listener told;
        synchronized (this) {
            if (!present) {
                return;
            }
            present = false;
            told = listener;
        }
        if (told != null) {
            told.surpriseRemoved();
        }
    }

    /** False once the card was pulled. */
    public boolean isPresent() {
        return present;
    }

    /** PnP side: who to tell (one listener; null stops listening, e.g. once the device is removed). */
    public synchronized void onSurpriseRemoval(Listener newListener) {
        listener = newListener;
    }

    @Override
    public String toString() {
        return "HotPlugSlot[" + name + (present ? "" : ", removed") + "]";
    }
}
