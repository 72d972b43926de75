package org.ndis4j.examples.vlanfilter;

import io.netty.buffer.ByteBuf;

/**
 * IEEE 802.1Q tags as the filter reads, inserts and strips them.
 *
 * <pre>
 *   untagged  │ dst (6) │ src (6) │ EtherType (2) │ payload …
 *   tagged    │ dst (6) │ src (6) │ 0x8100 │ TCI: PCP(3) DEI(1) VID(12) │ EtherType (2) │ payload …
 * </pre>
 */
final class Dot1Q {

    static final int TPID = 0x8100;
    static final int TAG_LENGTH = 4;
    static final int ADDRESSES_LENGTH = 12;
    static final int HEADER_LENGTH = 14;

    private Dot1Q() {}

    static boolean isTagged(ByteBuf frame, int offset, int length) {
        return length >= HEADER_LENGTH + TAG_LENGTH && frame.getUnsignedShort(offset + ADDRESSES_LENGTH) == TPID;
    }

    /** The EtherType after any tag; -1 for a frame shorter than an Ethernet header. */
    static int etherType(ByteBuf frame, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return -1;
        }
        return isTagged(frame, offset, length)
                ? frame.getUnsignedShort(offset + ADDRESSES_LENGTH + TAG_LENGTH)
                : frame.getUnsignedShort(offset + ADDRESSES_LENGTH);
    }

    static int vlanId(ByteBuf frame, int offset) {
        return frame.getUnsignedShort(offset + ADDRESSES_LENGTH + 2) & 0x0fff;
    }

    /** Copies an untagged frame to {@code to}, inserting a tag with {@code tci}; returns the new length. */
    static int insert(ByteBuf from, int offset, int length, ByteBuf to, int toOffset, int tci) {
        to.setBytes(toOffset, from, offset, ADDRESSES_LENGTH);
        to.setShort(toOffset + ADDRESSES_LENGTH, TPID);
        to.setShort(toOffset + ADDRESSES_LENGTH + 2, tci);
        to.setBytes(
                toOffset + ADDRESSES_LENGTH + TAG_LENGTH, from, offset + ADDRESSES_LENGTH, length - ADDRESSES_LENGTH);
        return length + TAG_LENGTH;
    }

    /** Copies a tagged frame to {@code to} without its tag; returns the new length. */
    static int strip(ByteBuf from, int offset, int length, ByteBuf to, int toOffset) {
        to.setBytes(toOffset, from, offset, ADDRESSES_LENGTH);
        int rest = length - ADDRESSES_LENGTH - TAG_LENGTH;
        to.setBytes(toOffset + ADDRESSES_LENGTH, from, offset + ADDRESSES_LENGTH + TAG_LENGTH, rest);
        return length - TAG_LENGTH;
    }
}
