package org.ndis4j.examples.vmini;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The descriptor rings and frame buffers in shared memory (netvmini's tcbrcb.c): four blocks
 * allocated from the device's bus memory at initialize and freed at halt, and the descriptor
 * layouts of the datasheet.
 *
 * <pre>
 * transmit descriptor (16 bytes)                       receive descriptor (16 bytes)
 *  0        8        10   11     12                     0        8        10       12     13
 *  +--------+--------+----+------+---------+            +--------+--------+--------+------+-----+
 *  | buffer | length | cmd|status| reserved|            | buffer | buffer | frame  |status| rsvd|
 *  | (u64)  | (u16)  |    |      |         |            | (u64)  | size   | length |      |     |
 *  +--------+--------+----+------+---------+            +--------+--------+--------+------+-----+
 * </pre>
 *
 * Transmit slot {@code i} always uses transmit buffer {@code i} (the one copy of a send). Receive
 * buffers belong to the receive control blocks, not to slots: a buffer is posted wherever the tail
 * is when its NBL comes back. The ring memory is touched only under the data path's locks.
 *
 * <p>All four blocks come from NdisMAllocateSharedMemory in MiniportInitializeEx and go back with
 * NdisMFreeSharedMemory in MiniportHaltEx; the verifier reports any block still allocated then.
 */
final class VminiRings {

    final SharedMemory transmitRing;
    final SharedMemory transmitBuffers;
    final SharedMemory receiveRing;
    final SharedMemory receiveBuffers;
    /** Ring and buffer sizes, from the registry. */
    final VminiConfiguration config;

    private VminiRings(
            VminiConfiguration config,
            SharedMemory transmitRing,
            SharedMemory transmitBuffers,
            SharedMemory receiveRing,
            SharedMemory receiveBuffers) {
        this.config = config;
        this.transmitRing = transmitRing;
        this.transmitBuffers = transmitBuffers;
        this.receiveRing = receiveRing;
        this.receiveBuffers = receiveBuffers;
    }

    /**
     * Allocates the four blocks. Runs at PASSIVE_LEVEL (MiniportInitializeEx). Returns null, having
     * freed whatever it got, when the bus has no memory left.
     */
    static VminiRings allocate(NdisMiniportAdapterHandle handle, VminiConfiguration config) {
        SharedMemory[] blocks = new SharedMemory[4];
        int[] lengths = {
            config.transmitRingSize() * HardwareLimits.DESCRIPTOR_LENGTH,
            config.transmitRingSize() * config.bufferSize(),
            config.receiveRingSize() * HardwareLimits.DESCRIPTOR_LENGTH,
            config.rcbCount() * config.bufferSize()
        };
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = NdisM.allocateSharedMemory(handle, lengths[i], true);
            if (blocks[i] == null) {
                for (int j = i - 1; j >= 0; j--) {
                    NdisM.freeSharedMemory(handle, blocks[j].length(), true, blocks[j]);
                }
                return null;
            }
        }
        return new VminiRings(config, blocks[0], blocks[1], blocks[2], blocks[3]);
    }

    /** Frees the blocks in reverse order of allocation. Runs at PASSIVE_LEVEL (MiniportHaltEx). */
    void free(NdisMiniportAdapterHandle handle) {
        for (SharedMemory block : new SharedMemory[] {receiveBuffers, receiveRing, transmitBuffers, transmitRing}) {
            NdisM.freeSharedMemory(handle, block.length(), true, block);
        }
    }

    // ---- transmit ----------------------------------------------------------------------------

    /** Copies a frame into transmit buffer {@code slot}: the one copy of the send path. */
    void copyToTransmitBuffer(int slot, ByteBuf frame, int offset, int length) {
        transmitBuffers.virtualAddress().setBytes(slot * config.bufferSize(), frame, offset, length);
    }

    /**
     * Fills transmit descriptor {@code slot} for its own buffer; status cleared. Two writes: the
     * address, then length, command and status as one little-endian int (bytes 8 to 11).
     */
    void writeTransmitDescriptor(int slot, int length, int command) {
        ByteBuf ring = transmitRing.virtualAddress();
        int at = TransmitDescriptor.offset(slot);
        ring.setLongLE(
                at + TransmitDescriptor.ADDRESS_OFFSET, transmitBuffers.physicalAddress(slot * config.bufferSize()));
        ring.setIntLE(at + TransmitDescriptor.LENGTH_OFFSET, (length & 0xffff) | (command & 0xff) << 16);
    }

    /** The status the device wrote back into transmit descriptor {@code slot}. */
    int transmitStatus(int slot) {
        return transmitRing
                .virtualAddress()
                .getUnsignedByte(TransmitDescriptor.offset(slot) + TransmitDescriptor.STATUS_OFFSET);
    }

    // ---- receive -----------------------------------------------------------------------------

    /** Offset of receive control block {@code index}'s buffer in {@link #receiveBuffers}. */
    int receiveBufferOffset(int index) {
        return index * config.bufferSize();
    }

    /**
     * Posts receive control block {@code index}'s buffer in descriptor {@code slot}; status cleared.
     * Three writes: the address, buffer size and frame length (0) as one little-endian int, status.
     */
    void writeReceiveDescriptor(int slot, int index) {
        ByteBuf ring = receiveRing.virtualAddress();
        int at = ReceiveDescriptor.offset(slot);
        ring.setLongLE(
                at + ReceiveDescriptor.ADDRESS_OFFSET, receiveBuffers.physicalAddress(receiveBufferOffset(index)));
        ring.setIntLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, config.bufferSize() & 0xffff);
        ring.setByte(at + ReceiveDescriptor.STATUS_OFFSET, 0);
    }

    /** The status the device wrote back into receive descriptor {@code slot}. */
    int receiveStatus(int slot) {
        return receiveRing
                .virtualAddress()
                .getUnsignedByte(ReceiveDescriptor.offset(slot) + ReceiveDescriptor.STATUS_OFFSET);
    }

    /** The frame length the device wrote back into receive descriptor {@code slot}. */
    int receiveFrameLength(int slot) {
        return receiveRing
                .virtualAddress()
                .getUnsignedShortLE(ReceiveDescriptor.offset(slot) + ReceiveDescriptor.FRAME_LENGTH_OFFSET);
    }
}
