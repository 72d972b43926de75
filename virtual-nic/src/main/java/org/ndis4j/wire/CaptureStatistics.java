package org.ndis4j.wire;

/**
 * The packet capture of a {@link VirtualSwitch}.
 *
 * @param file          the pcap file
 * @param framesWritten frames captured
 * @param framesMissed  frames not captured: the disk was behind, or the capture had stopped
 * @param failure       why the capture stopped (the operating system's reason), or null while it works
 */
public record CaptureStatistics(String file, long framesWritten, long framesMissed, String failure) {

    @Override
    public String toString() {
        return "capture " + file + ": " + framesWritten + " frames written, " + framesMissed + " missed"
                + (failure == null ? "" : " (stopped: " + failure + ")");
    }
}
