/**
 * The rules, named after Static Driver Verifier / Driver Verifier rules, and the checks that raise
 * bug check 0xC4 when a driver breaks one. See docs/verifier-rules.md.
 */
package org.ndis4j.verifier;
