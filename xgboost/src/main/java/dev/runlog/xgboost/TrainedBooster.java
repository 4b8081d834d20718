package dev.runlog.xgboost;

import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.spi.InputRules;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * What {@link XGBoostTracking#train} trained and logged.
 *
 * @param booster       the trained booster, holding every round trained (early stopping does not
 *                      cut the rounds after the best one, as in XGBoost itself)
 * @param model         the booster as logged in the run, in the {@code xgboost} flavor; register
 *                      its {@link LoggedModel#uri()}
 * @param roundsTrained how many boosting rounds ran: fewer than asked when early stopping stopped
 * @param bestIteration with early stopping, the 0-based round with the best score
 * @param bestScore     with early stopping, the score of that round
 */
public record TrainedBooster(Booster booster, LoggedModel model, int roundsTrained, OptionalInt bestIteration,
                             OptionalDouble bestScore) {
    /** @throws dev.runlog.tracking.InvalidInputException if an argument is null */
    public TrainedBooster {
        InputRules.notNull("booster", booster);
        InputRules.notNull("model", model);
        InputRules.notNull("bestIteration", bestIteration);
        InputRules.notNull("bestScore", bestScore);
    }
}
