package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A Netty channel over a Linux TAP device: each inbound message is one Ethernet frame the kernel
 * sent out of the interface, each outbound {@link ByteBuf} one frame handed to the kernel as if
 * received on it. The descriptor is watched by the epoll event loop the channel is registered with
 * (level-triggered, through Netty's {@link EpollIoHandle}): no thread of its own, and on the switch
 * the same loop as every TCP port.
 *
 * <pre>
 *   Linux stack ──xmit──▶ tapN ──read(2), one frame──▶ TapChannel ──▶ pipeline (channelRead)
 *   Linux stack ◀─netif_rx─ tapN ◀─write(2), one frame── TapChannel ◀── pipeline (write/flush)
 * </pre>
 *
 * <p>Reads: at most {@link #MAX_FRAMES_PER_READ} frames per epoll wake-up, then {@code
 * channelReadComplete}; a frame longer than the limit is dropped and counted as
 * {@link DropReason#MALFORMED}. Writes: a frame the kernel refuses (the interface is down: EIO) fails
 * only that write's promise; the channel stays open. The channel closes when the descriptor fails
 * (the interface was deleted), and closing it closes the descriptor.
 */
public final class TapChannel extends AbstractChannel {

    /** Frames read per wake-up before other channels on the loop get their turn. */
    static final int MAX_FRAMES_PER_READ = 64;

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, MAX_FRAMES_PER_READ);

    private final String interfaceName;
    private final FileDescriptor fd;
    private final int maxFrameLength;
    private final TapAddress address;
    private final TapConfig config = new TapConfig();
    private final TrafficCounters counters;
    private final Handle handle = new Handle();

    /** Loop-confined: the epoll registration, or null before it and after it is cancelled. */
    private IoRegistration registration;
    /** Loop-confined: the epoll events asked for now. */
    private EpollIoOps interest = EpollIoOps.NONE;
    /** Loop-confined: a read was asked for (auto-read, or an explicit read()) and not served yet. */
    private boolean readPending;

    private volatile boolean open = true;

    private TapChannel(String interfaceName, int fd, int maxFrameLength, TrafficCounters counters) {
        super(null);
        this.interfaceName = interfaceName;
        this.fd = new FileDescriptor(fd);
        this.maxFrameLength = maxFrameLength;
        this.address = new TapAddress(interfaceName);
        this.counters = counters;
    }

    /**
     * Opens the TAP named {@code name} (creating it if there is none); register the channel with an
     * epoll event loop to start it.
     *
     * @param counters where frames read and written, drops and errors are counted
     * @throws TapException with a one-line reason
     */
    public static TapChannel open(String name, int maxFrameLength, TrafficCounters counters) {
        if (!Epoll.isAvailable()) {
            throw new TapException(name, "Netty's native epoll does not load here: " + Epoll.unavailabilityCause());
        }
        return new TapChannel(name, TapDevice.open(name), maxFrameLength, counters);
    }

    /** The interface name, as {@code ip link} shows it. */
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && isRegistered();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("a TAP is not connected, it is opened"));
            }
        };
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isCompatible(Handle.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return address;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return address;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register(handle).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }

    @Override
    protected void doBind(SocketAddress local) {
        throw new UnsupportedOperationException("a TAP is not bound, it is opened");
    }

    @Override
    protected void doDisconnect() throws IOException {
        doClose();
    }

    @Override
    protected void doClose() throws IOException {
        open = false;
        doDeregister(); // out of the epoll set before the descriptor number can be reused
        fd.close();
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        setInterest(interest.with(EpollIoOps.EPOLLIN));
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws IOException {
        long frames = 0;
        long bytes = 0;
        for (; ; ) {
            Object msg = in.current();
            if (msg == null) {
                setInterest(interest.without(EpollIoOps.EPOLLOUT));
                break;
            }
            ByteBuf frame = (ByteBuf) msg;
            int length = frame.readableBytes();
            int written;
            try {
                written = writeFrame(frame);
            } catch (IOException e) {
                // The kernel refused this frame (EIO: the interface is down); the next may pass.
                counters.dropped(DropReason.CARRIER_DOWN);
                in.remove(e);
                continue;
            }
            if (written == 0) {
                // The kernel's queue is full (EAGAIN): wait until the descriptor is writable.
                setInterest(interest.with(EpollIoOps.EPOLLOUT));
                break;
            }
            frames++;
            bytes += length;
            in.remove();
        }
        counters.transmitted(frames, bytes);
    }

    /** One write(2): a TAP takes a frame whole or not at all. Returns 0 when it would block. */
    private int writeFrame(ByteBuf frame) throws IOException {
        int length = frame.readableBytes();
        if (frame.hasMemoryAddress()) {
            return fd.writeAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex());
        }
        if (frame.nioBufferCount() == 1 && frame.isDirect()) {
            return fd.write(frame.internalNioBuffer(frame.readerIndex(), length), 0, length);
        }
        ByteBuf direct = alloc().directBuffer(length);
        try {
            direct.writeBytes(frame, frame.readerIndex(), length);
            return fd.writeAddress(direct.memoryAddress(), 0, length);
        } finally {
            direct.release();
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf frame) {
            int length = frame.readableBytes();
            if (length >= EthernetFrames.HEADER_LENGTH && length <= maxFrameLength) {
                return msg;
            }
            counters.dropped(DropReason.MALFORMED);
            throw new IllegalArgumentException("a frame of " + length + " bytes: a TAP takes "
                    + EthernetFrames.HEADER_LENGTH + ".." + maxFrameLength);
        }
        throw new UnsupportedOperationException(
                "a TAP writes ByteBufs, not " + msg.getClass().getSimpleName());
    }

    /** On the loop: reads up to {@link #MAX_FRAMES_PER_READ} frames and passes them on. */
    private void readFrames() {
        ChannelPipeline pipeline = pipeline();
        ByteBufAllocator alloc = alloc();
        long frames = 0;
        long bytes = 0;
        IOException failure = null;
        readPending = false;
        for (int i = 0; i < MAX_FRAMES_PER_READ && open; i++) {
            // One byte more than the limit: a read that fills it was a frame too long (truncated).
            ByteBuf buf = alloc.directBuffer(maxFrameLength + 1);
            int n;
            try {
                n = fd.readAddress(buf.memoryAddress(), 0, buf.capacity());
            } catch (IOException e) {
                buf.release();
                failure = e;
                break;
            }
            if (n <= 0) {
                buf.release();
                if (n < 0) {
                    failure = new ClosedChannelException();
                }
                break;
            }
            if (n > maxFrameLength || n < EthernetFrames.HEADER_LENGTH) {
                buf.release();
                counters.dropped(DropReason.MALFORMED);
                continue;
            }
            buf.writerIndex(n);
            frames++;
            bytes += n;
            pipeline.fireChannelRead(buf);
        }
        counters.received(frames, bytes);
        if (frames != 0) {
            pipeline.fireChannelReadComplete();
        }
        if (failure != null) {
            pipeline.fireExceptionCaught(failure);
            unsafe().close(voidPromise());
            return;
        }
        if (!readPending && !config.isAutoRead()) {
            setInterest(interest.without(EpollIoOps.EPOLLIN));
        }
    }

    private void setInterest(EpollIoOps ops) {
        if (!ops.equals(interest) && registration != null && registration.isValid()) {
            interest = ops;
            registration.submit(ops);
        }
    }

    /** What the epoll loop watches: the descriptor, and what to do when it is ready. */
    private final class Handle implements EpollIoHandle {
        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            EpollIoOps ops = ((EpollIoEvent) event).ops();
            if (ops.contains(EpollIoOps.EPOLLERR)) {
                pipeline().fireExceptionCaught(new IOException("TAP " + interfaceName + ": the descriptor failed"));
                unsafe().close(voidPromise());
                return;
            }
            if (ops.contains(EpollIoOps.EPOLLOUT)) {
                unsafe().flush();
            }
            if (ops.contains(EpollIoOps.EPOLLIN)) {
                readFrames();
            }
        }

        @Override
        public void close() {
            // The event loop is shutting down: close the channel with it.
            unsafe().close(voidPromise());
        }
    }

    /** Auto-read off stops reading at the next wake-up, as Netty's own epoll channels do. */
    private final class TapConfig extends DefaultChannelConfig {
        TapConfig() {
            super(TapChannel.this);
        }

        @Override
        protected void autoReadCleared() {
            if (eventLoop().inEventLoop()) {
                readPending = false;
            } else {
                eventLoop().execute(() -> readPending = false);
            }
        }
    }

    /** The channel's address: the interface name. */
    public static final class TapAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;
        private final String name;

        TapAddress(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "tap:" + name;
        }
    }
}
