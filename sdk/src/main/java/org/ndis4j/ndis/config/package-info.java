/**
 * Reading and writing an adapter's configuration, as NDIS has it: NDIS_CONFIGURATION_OBJECT,
 * NDIS_PARAMETER_TYPE and NDIS_CONFIGURATION_PARAMETER, for {@code Ndis.openConfigurationEx},
 * {@code Ndis.readConfiguration}, {@code Ndis.writeConfiguration}, {@code Ndis.closeConfiguration}
 * and {@code Ndis.readNetworkAddress}. Drivers import it. See docs/configuration.md.
 */
package org.ndis4j.ndis.config;
