package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves that the leak check the kernel extension runs would catch a leaked buffer. */
class NettyLeakCheckTest {

    @Test
    void anUnreleasedPooledBufferFailsTheCheckUntilItIsReleased() {
        assertThat(NettyLeakCheck.isActive())
                .as("the sdk tests run with Netty's LeakPresenceDetector (parent pom test.argLine)")
                .isTrue();
        NettyLeakCheck.assertNoLeakedBuffers();
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        try {
            assertThatThrownBy(NettyLeakCheck::assertNoLeakedBuffers)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("leaked Netty buffer");
        } finally {
            leaked.release();
        }
        // The check reset the count when it reported the leak; the late release shows up once as
        // a negative count, and then the scope is clean again.
        assertThatThrownBy(NettyLeakCheck::assertNoLeakedBuffers)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("negative");
        NettyLeakCheck.assertNoLeakedBuffers();
    }
}
