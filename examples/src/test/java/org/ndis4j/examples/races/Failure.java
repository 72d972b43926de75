package org.ndis4j.examples.races;

import java.util.Arrays;
import org.ndis4j.kernel.CrashReport;

/**
 * How one schedule of a race scenario failed, reduced to what a test asserts: a bug check (its code
 * and verifier rule), a deadlock report and the context it names in NdisWaitEvent, or the scenario's
 * own oracle (a lost update).
 *
 * @param kind what kind of failure
 * @param summary one line: "0xC4 IoWorkItem_FreeWhileQueued", "DEADLOCK: K1/D0 waits in NdisWaitEvent"
 * @param text the whole report
 * @param code the bug check code, or 0
 * @param rule the verifier rule of a bug check, or null
 */
record Failure(Kind kind, String summary, String text, int code, String rule) {

    static final String LOST_UPDATE_TEXT = "lost update";

    enum Kind {
        BUG_CHECK,
        DEADLOCK,
        LOST_UPDATE,
        OTHER
    }

    /** A bug check with {@code code} and, when any are named, one of {@code rules}. */
    boolean isBugCheck(int bugCheckCode, String... rules) {
        if (kind != Kind.BUG_CHECK || code != bugCheckCode) {
            return false;
        }
        return rules.length == 0 || Arrays.asList(rules).contains(rule);
    }

    static Failure of(CrashReport crash) {
        String rule = crash.rule() == null ? "" : " " + crash.rule();
        return new Failure(
                Kind.BUG_CHECK,
                crash.code().hex() + rule,
                crash.toText(),
                crash.code().code(),
                crash.rule());
    }

    static Failure of(String text) {
        if (text.startsWith("DEADLOCK")) {
            return new Failure(Kind.DEADLOCK, "DEADLOCK", text, 0, null);
        }
        if (text.contains(LOST_UPDATE_TEXT)) {
            return new Failure(Kind.LOST_UPDATE, LOST_UPDATE_TEXT, text, 0, null);
        }
        return new Failure(Kind.OTHER, text.lines().findFirst().orElse(""), text, 0, null);
    }
}
