package dev.runlog.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a scenario class that tests run on a nested engine with {@link Scenarios#run(Class)}: some of its
 * tests fail on purpose, so it is disabled anywhere else (an IDE running everything, say).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OnlyInEngineTestKit.Condition.class)
@interface OnlyInEngineTestKit {
    String KEY = "runlog.junit.scenario";

    /** Enabled only when the nested engine was given {@link #KEY}. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KEY).isPresent()
                    ? ConditionEvaluationResult.enabled("running inside EngineTestKit")
                    : ConditionEvaluationResult.disabled("a scenario for EngineTestKit; some of its tests fail on purpose");
        }
    }
}
