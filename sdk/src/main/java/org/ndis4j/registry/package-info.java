/**
 * The registry an adapter's configuration lives in, as a host supplies it when it adds a device:
 * the values an INF's AddReg would have written under the device's driver key
 * ({@code HKLM\System\CurrentControlSet\Control\Class\{4d36e972-…}\00xx}), the standardized INF
 * keywords with their INF types, ranges and defaults ({@link StandardKeyword}), and vendor keywords.
 * Drivers never read it directly: they call {@code Ndis.openConfigurationEx} and
 * {@code Ndis.readConfiguration}. See docs/configuration.md.
 */
package org.ndis4j.registry;
