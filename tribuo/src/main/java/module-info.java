/**
 * Runlog's Tribuo integration: {@code dev.runlog.tribuo.TribuoTracking} logs a Tribuo model's
 * provenance as params and tags, a classification evaluation as metrics, and the model in the
 * {@code tribuo} flavor (Tribuo's own protobuf format). Tribuo comes with this module alone, never
 * with tracking-core.
 */
module dev.runlog.tribuo {
    requires transitive dev.runlog.tracking;
    requires transitive org.tribuo.core;
    requires transitive org.tribuo.classification.core;
    requires transitive com.oracle.labs.mlrg.olcut;

    exports dev.runlog.tribuo;

    provides dev.runlog.tracking.ModelFlavor with dev.runlog.tribuo.internal.TribuoFlavor;
}
