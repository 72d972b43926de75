package org.ndis4j.examples.races;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;

/**
 * The race corpus's device, as the drivers see it (netvmini's hardware.h): four registers, two
 * interrupt causes, one timing. Every driver of the corpus programs the same small device.
 *
 * <pre>
 *   offset  name  access  bits
 *   0x00    CTRL  W       bit 0 RESET: resets the PHY; the link drops, so LINK is asserted at once
 *                 R       bit 0 RESET: set while the reset runs, at most {@link #RESET_WAIT_MICROS}
 *   0x04    ICR   RC      bit 0 LINK (the link changed), bit 1 PHY_DONE (a PHY read completed),
 *                         bit 2 RX (frames arrived); read to clear
 *   0x08    IMS   RW      the causes that raise the interrupt line (0 after power-on)
 *   0x0C    PHY   W       bit 0 READ: starts a PHY read; the device completes it at once and asserts PHY_DONE
 *                 R       bit 0 LINK_UP, as the last PHY read saw it
 * </pre>
 */
public final class RaceHardware {

    public static final int CTRL = 0x00;
    public static final int ICR = 0x04;
    public static final int IMS = 0x08;
    public static final int PHY = 0x0C;

    public static final int CTRL_RESET = 1;
    public static final int PHY_READ = 1;
    public static final int PHY_LINK_UP = 1;

    public static final int CAUSE_LINK = 1;
    public static final int CAUSE_PHY_DONE = 1 << 1;
    public static final int CAUSE_RX = 1 << 2;

    /** The datasheet's reset time: CTRL.RESET clears within it, and the device is not to be used before. */
    public static final int RESET_WAIT_MICROS = 10_000;

    private static final long LINK_SPEED = 1_000_000_000L;

    private RaceHardware() {}

    /** Resets the device: the PHY restarts, the link drops (LINK is asserted). */
    static void reset(RegisterSpace registers) {
        registers.write32(CTRL, CTRL_RESET);
    }

    /** Whether the reset CTRL.RESET started still runs. */
    static boolean resetting(RegisterSpace registers) {
        return (registers.read32(CTRL) & CTRL_RESET) != 0;
    }

    /**
     * The attributes every corpus adapter sets in MiniportInitializeEx. Runs at PASSIVE_LEVEL.
     *
     * @param context the adapter context NDIS passes back to every handler
     */
    static void setAttributes(NdisMiniportAdapterHandle handle, Object context) {
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(context));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(LINK_SPEED)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {0x02, 0x52, 0x41, 0x43, 0x45, 0x01})
                        .build());
    }

    /**
     * The ISR every race's adapter has: ICR is read to clear, so what it held goes into {@code pending}
     * for the DPC; nothing set means another device's interrupt. Runs at DIRQL.
     */
    static MiniportInterruptResult takeCauses(RegisterSpace registers, AtomicInteger pending) {
        int causes = registers.read32(ICR);
        if (causes == 0) {
            return MiniportInterruptResult.NOT_RECOGNIZED;
        }
        pending.getAndAccumulate(causes, (a, b) -> a | b);
        return MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
    }
}
