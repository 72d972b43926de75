/**
 * JUnit 5 support for testing drivers: {@link KernelExtension} gives each test a
 * fresh kernel and fails the test on any bug check, rule violation or leak;
 * {@link BugCheckAssertions} lets a verifier test expect a named bug check.
 */
package org.ndis4j.testing;
