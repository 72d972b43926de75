/**
 * The run configuration file ({@code ndis4j run --config FILE}, {@code ndis4j ping --config FILE}):
 * its JSON model, read with Jackson with unknown keys rejected, checked value by value, and turned
 * into what a run needs (a {@code KernelConfig}, adapters with their registry, the drivers). A bad
 * file is one {@link ConfigException} naming the key path and line:column. docs/configuration.md
 * describes the file and docs/config.schema.json is its JSON Schema.
 */
package org.ndis4j.tools.config;
