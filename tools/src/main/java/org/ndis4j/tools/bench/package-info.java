/**
 * {@code ndis4j bench}: the project's own benchmarks and load generator. Each benchmark implements
 * {@link org.ndis4j.tools.bench.Benchmark} and is listed in {@link org.ndis4j.tools.bench.Benchmarks};
 * adding one (host-to-host, ping round trip) is writing that class and listing it there.
 */
package org.ndis4j.tools.bench;
