/**
 * A small JSON-over-HTTP control endpoint that commands share: {@link ControlServer}
 * serves the routes that each command's {@link ControlResource}s register
 * ({@code ndis4j switch}: ports, counters, admin up/down, health). Netty's HTTP codec, Jackson 3.
 */
package org.ndis4j.tools.control;
