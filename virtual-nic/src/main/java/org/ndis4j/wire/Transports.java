package org.ndis4j.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;

/**
 * Picks the socket transport: native epoll where it loads (Linux), NIO elsewhere. Channel classes
 * follow the group they are registered with, so a group made elsewhere works too.
 */
public final class Transports {

    /** {@code setsockopt(IPPROTO_IPV6, IPV6_V6ONLY)} on Linux: a socket bound to {@code ::} takes IPv6 only. */
    private static final ChannelOption<Integer> IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private Transports() {}

    /** A new event loop group of {@code threads} I/O threads on the best transport here. */
    public static MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(
                threads, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Sets up {@code bootstrap} to listen on exactly the address family {@code address} names: an
     * IPv4 address (including {@code 0.0.0.0}) gets an IPv4 socket, so {@code 0.0.0.0} does not
     * also take IPv6 peers as a dual-stack socket would; the IPv6 wildcard {@code ::} gets an IPv6-only
     * socket (epoll; NIO has no way to ask for it and stays dual-stack).
     */
    public static ServerBootstrap listenExactly(
            ServerBootstrap bootstrap, EventLoopGroup group, InetSocketAddress address) {
        SocketProtocolFamily family =
                address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        boolean epoll = isEpoll(group);
        ChannelFactory<ServerChannel> factory = epoll
                ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
        bootstrap.channelFactory(factory);
        if (epoll
                && address.getAddress() instanceof Inet6Address
                && address.getAddress().isAnyLocalAddress()) {
            bootstrap.option(IPV6_V6ONLY, 1);
        }
        return bootstrap;
    }

    /**
     * An address as {@code --listen} accepts it: {@code 127.0.0.1:5555}, {@code [::1]:5555}; other
     * socket addresses as Java prints them.
     */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            if (inet.getAddress() instanceof Inet6Address) {
                return "[" + compress(host) + "]:" + inet.getPort();
            }
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** Java's full IPv6 form ({@code 0:0:0:0:0:0:0:1}) in RFC 5952's short form ({@code ::1}); a scope stays. */
    static String compress(String ipv6) {
        int percent = ipv6.indexOf('%');
        String scope = percent < 0 ? "" : ipv6.substring(percent);
        String[] groups = (percent < 0 ? ipv6 : ipv6.substring(0, percent)).split(":");
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return String.join(":", groups) + scope;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail + scope;
    }
}
