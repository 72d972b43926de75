/**
 * {@code ndis4j run}: a user's drivers, loaded from their jars in a class loader of their own, on a
 * simulated kernel with virtual NICs on TCP wires, until SIGINT/SIGTERM; the control endpoint's
 * resources (health, statistics, ping), the statistics line, crash reports. See docs/cli.md.
 */
package org.ndis4j.tools.run;
