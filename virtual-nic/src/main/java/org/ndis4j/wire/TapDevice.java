package org.ndis4j.wire;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a Linux TAP device: {@code open("/dev/net/tun")}, then {@code ioctl(TUNSETIFF)} with
 * {@code IFF_TAP | IFF_NO_PI}, so every {@code read(2)} of the descriptor returns one whole Ethernet
 * frame the kernel sent out of the interface, and every {@code write(2)} hands one to the kernel as
 * received on it (no FCS, no packet-information header). The descriptor is non-blocking, for epoll.
 *
 * <pre>
 * struct ifreq (40 bytes on x86_64), as TUNSETIFF reads and writes it:
 *  0                16        18                                      40
 * +-----------------+---------+---------------------------------------+
 * | ifr_name[16]    |ifr_flags| (union: unused here)                  |
 * +-----------------+---------+---------------------------------------+
 * </pre>
 *
 * <p>An existing TAP (made by {@code ip tuntap add NAME mode tap}, persistent) is attached to; a
 * name that does not exist creates a TAP that lives as long as the descriptor. Native calls go
 * through JNA; the frames themselves are read and written by Netty's native {@code FileDescriptor}
 * ({@link TapChannel}).
 */
final class TapDevice {

    /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
    private static final long TUNSETIFF = 0x400454caL;

    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    private static final int IFREQ_SIZE = 40;
    private static final Path CLONE_DEVICE = Path.of("/dev/net/tun");

    private TapDevice() {}

    /** The libc calls a TAP needs; each throws {@link LastErrorException} with errno on -1. */
    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, Pointer ifreq) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        String strerror(int errno);
    }

    /** Loaded on first use: a machine without TAP never loads libc through JNA. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * Opens (and, if absent, creates) the TAP named {@code name} and returns its descriptor.
     *
     * @throws TapException with one line saying why (no /dev/net/tun, not permitted, busy, ...)
     */
    static int open(String name) {
        TapInterfaceName.check(name);
        if (!Platform.isLinux()) {
            throw new TapException(name, "TAP devices need Linux");
        }
        if (!Files.exists(CLONE_DEVICE)) {
            throw new TapException(name, CLONE_DEVICE + " does not exist (no tun module, or not in this container)");
        }
        LibC libc = Holder.LIBC;
        int fd;
        try {
            fd = libc.open(CLONE_DEVICE.toString(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new TapException(name, "open " + CLONE_DEVICE + ": " + libc.strerror(e.getErrorCode()));
        }
        try (Memory ifreq = new Memory(IFREQ_SIZE)) {
            ifreq.clear();
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            ifreq.write(0, bytes, 0, bytes.length);
            ifreq.setShort(TapInterfaceName.IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            libc.ioctl(fd, new NativeLong(TUNSETIFF), ifreq);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new TapException(name, "TUNSETIFF: " + libc.strerror(e.getErrorCode()) + hint(e.getErrorCode()));
        }
        return fd;
    }

    private static String hint(int errno) {
        return switch (errno) {
            case 1 ->
                " (creating or attaching a TAP needs CAP_NET_ADMIN: run as root, or make it persistent"
                        + " for this user with ip tuntap add NAME mode tap user USER)";
            case 16 -> " (another process has it open)";
            case 22 -> " (an interface of that name exists and is not a TAP)";
            default -> "";
        };
    }

    private static void closeQuietly(int fd) {
        try {
            Holder.LIBC.close(fd);
        } catch (LastErrorException ignored) {
            // The descriptor is gone either way; the caller reports the error that led here.
        }
    }
}
