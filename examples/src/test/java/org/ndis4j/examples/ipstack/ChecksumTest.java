package org.ndis4j.examples.ipstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The wide-word Internet checksum against RFC 1071's 16-bit definition, on every kind of buffer. */
class ChecksumTest {

    /** RFC 1071 as written: 16-bit big-endian words, an odd last byte padded with zero. */
    private static long reference(byte[] data, int offset, int length) {
        long sum = 0;
        int i = offset;
        for (; i + 1 < offset + length; i += 2) {
            sum += (data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF);
        }
        if (i < offset + length) {
            sum += (data[i] & 0xFF) << 8;
        }
        return sum;
    }

    private static final List<Function<byte[], ByteBuf>> KINDS = List.of(
            Unpooled::wrappedBuffer,
            bytes -> Unpooled.directBuffer(bytes.length).writeBytes(bytes),
            bytes -> Unpooled.wrappedBuffer(new byte[3 + bytes.length + 5], 3, bytes.length)
                    .setBytes(0, bytes),
            bytes -> {
                ByteBuf whole = Unpooled.buffer(bytes.length + 7).writeZero(7).writeBytes(bytes);
                return whole.slice(7, bytes.length);
            },
            bytes -> {
                ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 9);
                return whole.writeZero(9).writeBytes(bytes).slice(9, bytes.length);
            },
            bytes -> {
                int half = bytes.length / 2;
                CompositeByteBuf c = Unpooled.compositeBuffer();
                c.addComponent(true, Unpooled.wrappedBuffer(bytes, 0, half));
                c.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half));
                return c;
            });

    @Test
    void wordsOfALongOrAnIntAreTheSumOfItsSixteenBitWords() {
        Random random = new Random(13);
        for (int i = 0; i < 1000; i++) {
            long word = i == 0 ? -1L : random.nextLong();
            byte[] bytes =
                    ByteBuffer.allocate(12).putLong(word).putInt((int) word).array();
            assertThat(Checksum.words(word)).isEqualTo(reference(bytes, 0, 8));
            assertThat(Checksum.words((int) word)).isEqualTo(reference(bytes, 8, 4));
        }
    }

    @Test
    void rfc1071ExampleSumsToDdf2() {
        byte[] example = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        ByteBuf buf = Unpooled.wrappedBuffer(example);
        try {
            assertThat(Checksum.finish(Checksum.add(0, buf, 0, example.length))).isEqualTo(~0xddf2 & 0xFFFF);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyOffsetAndLengthMatchesTheSixteenBitSumOnEveryKindOfBuffer() {
        Random random = new Random(13);
        byte[] data = new byte[1600];
        random.nextBytes(data);
        for (Function<byte[], ByteBuf> kind : KINDS) {
            ByteBuf buf = kind.apply(data);
            try {
                for (int offset = 0; offset < 10; offset++) {
                    for (int length = 0; length <= 80; length++) {
                        long start = random.nextInt(0x10000);
                        assertThat(Checksum.finish(Checksum.add(start, buf, offset, length)))
                                .as("%s offset %d length %d", buf.getClass().getSimpleName(), offset, length)
                                .isEqualTo(Checksum.finish(start + reference(data, offset, length)));
                    }
                }
                for (int length : new int[] {127, 128, 129, 135, 1472, 1480, 1500, 1514, 1599}) {
                    assertThat(Checksum.of(buf, 1, length)).isEqualTo(Checksum.finish(reference(data, 1, length)));
                }
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void allOnesAndAllZerosFoldAsOnesComplement() {
        byte[] ones = new byte[9000];
        Arrays.fill(ones, (byte) 0xFF);
        ByteBuf buf = Unpooled.wrappedBuffer(ones);
        try {
            assertThat(Checksum.of(buf, 0, ones.length)).isZero();
            assertThat(Checksum.of(buf, 0, 0)).isEqualTo(0xFFFF);
        } finally {
            buf.release();
        }
    }

    @Test
    void aRangeOutsideTheBufferOrAReleasedBufferIsRefused() {
        ByteBuf buf = Unpooled.buffer(64);
        assertThatThrownBy(() -> Checksum.add(0, buf, 60, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Checksum.add(0, buf, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        ByteBuf slice = buf.retainedSlice(0, 32);
        slice.release();
        buf.release();
        assertThatThrownBy(() -> Checksum.add(0, buf, 0, 20)).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(() -> Checksum.add(0, slice, 0, 20)).isInstanceOf(IllegalReferenceCountException.class);
    }
}
