package dev.runlog.tribuo;

import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.spi.InputRules;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

/**
 * What {@link TribuoTracking#train} trained, measured and logged.
 *
 * @param model      the trained model
 * @param evaluation its evaluation on the test data
 * @param logged     the model as logged in the run, in the {@code tribuo} flavor; register its
 *                   {@link LoggedModel#uri()}
 */
public record TrainedClassifier(Model<Label> model, LabelEvaluation evaluation, LoggedModel logged) {
    /** @throws dev.runlog.tracking.InvalidInputException if an argument is null */
    public TrainedClassifier {
        InputRules.notNull("model", model);
        InputRules.notNull("evaluation", evaluation);
        InputRules.notNull("logged", logged);
    }
}
