/**
 * {@code ndis4j bench}: the project's own benchmarks and load generator. Each benchmark implements
 * {@link Benchmark} and is listed in {@link Benchmarks};
 * adding one (host-to-host, ping round trip) is writing that class and listing it there.
 */
package org.ndis4j.tools.bench;
