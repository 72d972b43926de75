/**
 * vmini: the NDIS 6 miniport for the ndis4j virtual NIC ({@code VirtualNic}), laid
 * out as the WDK's netvmini sample, one file per concern:
 *
 * <pre>
 *   VminiDriver        miniport.c   DriverEntry, the MiniportXxx handlers (they delegate)
 *   VminiAdapter       adapter.c    MiniportInitializeEx / HaltEx / Pause / Restart, the adapter context
 *   VminiControlPath   ctrlpath.c   MiniportOidRequest
 *   VminiDataPath      datapath.c   the data path: rings programmed, its half of pause/reset/removal
 *   VminiSendPath      datapath.c   MiniportSendNetBufferLists, transmit completion, the TCBs
 *   VminiReceivePath   datapath.c   receive indications, MiniportReturnNetBufferLists, the RCBs
 *   VminiInterrupt     (ISR/DPC)    MiniportInterrupt, MiniportInterruptDPC, the link work item
 *   VminiRings         tcbrcb.c     descriptor rings and frame buffers in shared memory
 *   VminiHardware      hardware.h   limits, register and PHY access
 * </pre>
 *
 * See docs/examples.md.
 */
package org.ndis4j.examples.vmini;
