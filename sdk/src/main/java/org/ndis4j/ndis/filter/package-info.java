/**
 * The filter driver's contract with NDIS (NDIS_FILTER_DRIVER_CHARACTERISTICS): {@code FilterDriver},
 * the attach parameters and the filter module states.
 */
package org.ndis4j.ndis.filter;
