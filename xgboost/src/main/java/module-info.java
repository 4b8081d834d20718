/**
 * Runlog's XGBoost4J integration: {@code dev.runlog.xgboost.XGBoostTracking} trains a booster with
 * its params, per-round evaluation metrics, early stopping, feature importance and the model
 * logged, and the {@code xgboost} model flavor stores a booster in XGBoost's own portable format.
 * XGBoost4J (and the Scala library it brings) comes with this module alone, never with
 * tracking-core.
 */
module dev.runlog.xgboost {
    requires transitive dev.runlog.tracking;
    requires transitive ml.dmlc.xgboost4j;
    // XGBoost4J logs through commons-logging but, as an automatic module, cannot say so; without
    // this line nothing resolves commons-logging on the module path, and XGBoost's native loader
    // fails at the first DMatrix with NoClassDefFoundError.
    requires org.apache.commons.logging;

    exports dev.runlog.xgboost;

    provides dev.runlog.tracking.ModelFlavor with dev.runlog.xgboost.internal.XGBoostFlavor;
}
