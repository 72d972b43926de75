/**
 * Where a command's sockets and wires go, parsed once for flags and configuration files alike:
 * {@code HostPort} ({@code HOST:PORT}) and {@code WireSpec} ({@code connect:}, {@code listen:},
 * {@code tap:}), which also opens the wire it names.
 */
package org.ndis4j.tools.endpoint;
