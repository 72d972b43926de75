/**
 * The host API: what a program that runs drivers (a test, a demo, a tool, a benchmark) uses to load
 * drivers, add and remove devices ({@code PnpManager}), read an adapter's state and watch its
 * status indications ({@code AdapterView}), and issue OID requests to it ({@code NdisOidClient}).
 * Drivers never use it: they talk to NDIS through {@code Ndis}, {@code NdisM} and {@code NdisF}.
 */
package org.ndis4j.host;
