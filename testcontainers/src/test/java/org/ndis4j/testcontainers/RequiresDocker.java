package org.ndis4j.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where a Docker engine answers. Elsewhere the class is skipped with one loud
 * line on stderr saying why; in CI that skip fails the run ({@code .ci/run} provisions the engine
 * with {@code scripts/docker-ci.sh}, and {@code .ci/no-skipped-tests} rejects any skipped test).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
@interface RequiresDocker {

    final class Condition implements ExecutionCondition {

        private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
        private static volatile ConditionEvaluationResult result;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            ConditionEvaluationResult r = result;
            if (r == null) {
                r = evaluate();
                result = r;
            }
            return r;
        }

        private static synchronized ConditionEvaluationResult evaluate() {
            if (result != null) {
                return result;
            }
            String host = System.getenv("DOCKER_HOST");
            String why;
            if (host == null && !Files.exists(DEFAULT_SOCKET)) {
                // Nothing to try: spare Testcontainers' search (and its page of errors).
                why = "no Docker engine (DOCKER_HOST unset, no " + DEFAULT_SOCKET + ")";
            } else if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("a Docker engine answers");
            } else {
                why = "no Docker engine answers (DOCKER_HOST=" + host + ")";
            }
            why += "; as root, start one with: docker_env=$(scripts/docker-ci.sh start); eval \"$docker_env\"";
            System.err.println("*** DOCKER TESTS SKIPPED: " + why + " ***");
            return ConditionEvaluationResult.disabled(why);
        }
    }
}
