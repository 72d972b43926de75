package org.ndis4j.examples.linkflap;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.ndis.types.NdisTimer;

/**
 * One adapter: lifecycle and link monitoring (netvmini's adapter.c, trimmed to the link path).
 *
 * <p>A periodic timer DPC polls the cause register at DISPATCH_LEVEL. On LINK_CHANGE it cannot read
 * the PHY there (a PHY read takes a millisecond and must wait), so it queues an NDIS I/O work item;
 * the routine runs at PASSIVE_LEVEL on a worker thread, reads the PHY, and indicates the new link
 * state. The work item is allocated once with the adapter handle and freed in halt.
 *
 * <p>The device has no transmitter. MiniportSendNetBufferLists still answers every send, as NDIS
 * requires: NDIS_STATUS_PAUSED from MiniportPause until MiniportRestart (NDIS hands sends down while
 * the adapter is Pausing), NDIS_STATUS_MEDIA_DISCONNECTED while the link is down, and
 * NDIS_STATUS_NOT_SUPPORTED otherwise.
 */
public final class LinkFlapAdapter {

    private static final long LINK_SPEED = 1_000_000_000L;
    private static final int POLL_MS = 5;
    private static final int PHY_READ_MICROS = 1000;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final NdisTimer pollTimer;
    private final NdisIoWorkItem linkWorkItem;
    /** Guards linkWorkPending: whether the work item is queued or about to run. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();

    private boolean linkWorkPending;
    private final AtomicInteger linkChecks = new AtomicInteger();
    /** From MiniportPause until MiniportRestart: sends are rejected with NDIS_STATUS_PAUSED. */
    private volatile boolean paused = true;
    /** MiniportShutdownEx ran: the link work item indicates nothing any more. */
    private volatile boolean shutDown;
    /** The link as the last PHY read saw it. */
    private volatile boolean linkUp;

    private LinkFlapAdapter(
            NdisMiniportAdapterHandle handle,
            DeviceResources resources,
            NdisTimer pollTimer,
            NdisIoWorkItem linkWorkItem) {
        this.handle = handle;
        this.registers = resources.registers();
        this.pollTimer = pollTimer;
        this.linkWorkItem = linkWorkItem;
    }

    /** MiniportInitializeEx: allocate, set attributes; undo in reverse order on failure. */
    static NdisStatus initialize(NdisMiniportAdapterHandle handle, DeviceResources resources) {
        NdisIoWorkItem workItem = Ndis.allocateIoWorkItem(handle);
        if (workItem == null) {
            return NdisStatus.RESOURCES;
        }
        NdisTimer timer = Ndis.allocateTimerObject(handle, (LinkFlapAdapter a, NdisTimer t) -> a.pollDpc(), null);
        if (timer == null) {
            Ndis.freeIoWorkItem(workItem);
            return NdisStatus.RESOURCES;
        }
        LinkFlapAdapter adapter = new LinkFlapAdapter(handle, resources, timer, workItem);
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        byte[] mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(LINK_SPEED)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(mac)
                        .build());
        Console.say("%s: initialized (work item and timer allocated with the adapter handle)", handle.name());
        return NdisStatus.SUCCESS;
    }

    /** MiniportRestart: start polling the device; sends are answered again. */
    NdisStatus restart() {
        paused = false;
        Ndis.setTimerObject(pollTimer, -POLL_MS * 10_000L, POLL_MS, this);
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportPause: reject sends from now on; stop polling (cancelling the periodic timer at
     * PASSIVE_LEVEL waits for its DPC); a link check already queued finishes on its own.
     */
    NdisStatus pause() {
        paused = true;
        Ndis.cancelTimerObject(pollTimer);
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. There is no transmitter: every NBL
     * completes at once, with NDIS_STATUS_PAUSED while paused or pausing.
     */
    void sendNetBufferLists(NetBufferList netBufferLists, int sendFlags) {
        NdisStatus status =
                paused ? NdisStatus.PAUSED : linkUp ? NdisStatus.NOT_SUPPORTED : NdisStatus.MEDIA_DISCONNECTED;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(status);
        }
        boolean atDispatch = (sendFlags & NDIS_SEND_FLAGS_DISPATCH_LEVEL) != 0;
        NdisM.sendNetBufferListsComplete(
                handle, netBufferLists, atDispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
    }

    /**
     * MiniportShutdownEx (power off): stop polling the device. The periodic timer is cancelled at
     * PASSIVE_LEVEL (NDIS flushes its DPC); nothing is freed, as the system goes down.
     */
    void shutdown() {
        shutDown = true;
        paused = true;
        Ndis.cancelTimerObject(pollTimer);
    }

    /** MiniportHaltEx: free what initialize allocated, in reverse order. */
    void halt() {
        Ndis.cancelTimerObject(pollTimer);
        Ndis.freeTimerObject(pollTimer);
        Ndis.freeIoWorkItem(linkWorkItem);
        Console.say("%s: halted after %d link checks (work item and timer freed)", handle.name(), linkChecks.get());
    }

    /** The poll timer's DPC. Runs at DISPATCH_LEVEL. */
    private void pollDpc() {
        if ((registers.read32(LinkDevice.CAUSE) & LinkDevice.CAUSE_LINK_CHANGE) == 0) {
            return;
        }
        Ndis.dprAcquireSpinLock(lock);
        boolean queue = !linkWorkPending;
        linkWorkPending = true;
        Ndis.dprReleaseSpinLock(lock);
        Console.say(
                "LINK_CHANGE seen in the timer DPC at %s on processor %d: queue the work item",
                Ke.getCurrentIrql(), Ke.getCurrentProcessorNumber());
        if (queue) {
            Ndis.queueIoWorkItem(linkWorkItem, LinkFlapAdapter::linkWorkRoutine, this);
        }
    }

    /** The work item routine. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread. */
    private static void linkWorkRoutine(LinkFlapAdapter self, NdisIoWorkItem item) {
        Ndis.acquireSpinLock(self.lock);
        self.linkWorkPending = false;
        Ndis.releaseSpinLock(self.lock);
        NdisM.sleep(PHY_READ_MICROS); // the PHY read: legal only here, at PASSIVE_LEVEL
        boolean up = (self.registers.read32(LinkDevice.STATUS) & LinkDevice.STATUS_LINK_UP) != 0;
        self.linkUp = up;
        self.linkChecks.incrementAndGet();
        Console.say(
                "work item routine at %s on %s: PHY says link %s",
                Ke.getCurrentIrql(), Thread.currentThread().getName(), up ? "up" : "down");
        NdisLinkState state = up ? NdisLinkState.connected(LINK_SPEED) : NdisLinkState.disconnected();
        if (!self.shutDown) { // after MiniportShutdownEx nothing is indicated
            NdisM.indicateStatusEx(self.handle, NdisStatusIndication.linkState(self.handle, state));
        }
    }
}
