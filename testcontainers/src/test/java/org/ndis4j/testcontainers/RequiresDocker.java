package org.ndis4j.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("a Docker engine answers");
            }
            String why = "no Docker engine answers (DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + "); start one with: docker_env=$(sudo scripts/docker-ci.sh start); eval \"$docker_env\"";
            System.err.println("*** DOCKER TESTS SKIPPED: " + why + " ***");
            return ConditionEvaluationResult.disabled(why);
        }
    }
}
