/**
 * The test kit for drivers (JUnit 5): {@link KernelExtension} gives each test a fresh kernel, fails
 * the test at once — as its primary failure — on a bug check on any thread, applies a timeout with
 * a dump of every kernel thread, and checks leaks after the test; {@link Await} waits on a real
 * condition with a deadline; {@link RecordingProtocol} (over {@link ProtocolEdge}) sends frames,
 * sets the packet filter and records what comes up; {@link FrameBuilder} and {@link Frame} build
 * and check Ethernet, 802.1Q, ARP, IPv4, ICMP echo and UDP; {@link BugCheckAssertions} lets a
 * verifier test expect a named bug check. See docs/testing.md.
 */
package org.ndis4j.testing;
