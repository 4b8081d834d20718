package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.FeatureLayout;
import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The version a {@link ModelMonitor} monitors now, what its windows are compared with, and the run
 * they are logged to (not started yet when made).
 *
 * @param version       the version; 0 for a model the registry does not know
 * @param reference     the reference, or null when there is none to compare with
 * @param notComparable why there is no reference, or null
 * @param layout        the features {@code record} takes
 * @param run           the monitoring run of this version
 */
record MonitorSubject(int version, Reference reference, String notComparable, FeatureLayout layout, MonitorRun run) {

    /** A model the registry does not know, compared with this reference. */
    static MonitorSubject of(Tracker tracker, String model, Reference reference, MonitorOptions options) {
        return new MonitorSubject(0, reference, null, layout(reference, options), MonitorRun.of(tracker, model, 0, options));
    }

    /**
     * A registered version, compared with the options' reference or the profile of the training
     * dataset of the run that logged it.
     *
     * @throws InvalidInputException if the options name a target or features the reference lacks
     */
    static MonitorSubject of(Tracker tracker, ModelVersion version, MonitorOptions options) {
        Reference reference = options.reference().orElse(null);
        String notComparable = null;
        if (reference == null) {
            Optional<DatasetInput> training = tracker.getRun(version.runId()).inputs().stream()
                    .filter(input -> input.context().equals("training")).findFirst();
            if (training.isEmpty()) {
                notComparable = "run " + version.runId() + " of " + version.uri() + " logged no training dataset";
            } else {
                reference = Reference.fromProfile(training.get().dataset().profile()).orElse(null);
                if (reference == null) {
                    notComparable = "the profile of training dataset '" + training.get().dataset().name()
                            + "' holds no drift reference (profiled before sketches were stored, or without the monitoring module)";
                }
            }
        }
        return new MonitorSubject(version.version(), reference, notComparable, layout(reference, options),
                MonitorRun.of(tracker, version.name(), version.version(), options));
    }

    /**
     * A version a followed stage or alias moved to: as {@link #of(Tracker, ModelVersion, MonitorOptions)},
     * except that a reference that does not fit the options (it lacks the target or a named feature)
     * leaves the version monitored without drift, saying why, rather than not monitored at all.
     */
    static MonitorSubject following(Tracker tracker, ModelVersion version, MonitorOptions options) {
        try {
            return of(tracker, version, options);
        } catch (InvalidInputException e) {
            return new MonitorSubject(version.version(), null, "v" + version.version()
                    + "'s reference does not fit the options: " + e.getMessage(), layout(null, options),
                    MonitorRun.of(tracker, version.name(), version.version(), options));
        }
    }

    /**
     * The features: the options', or every column of the reference but the target (numeric columns,
     * then categorical ones, each in schema order).
     */
    private static FeatureLayout layout(Reference reference, MonitorOptions options) {
        String target = options.target().orElse(null);
        if (reference != null && target != null && !reference.numericColumns().contains(target)
                && !reference.categoricalColumns().contains(target)) {
            throw new InvalidInputException("the reference has no column '" + target + "' to compare the outputs with");
        }
        List<String> names;
        if (options.features().isPresent()) {
            names = options.features().get();
            if (reference != null) {
                for (String name : names) {
                    if (!reference.numericColumns().contains(name) && !reference.categoricalColumns().contains(name)) {
                        throw new InvalidInputException("feature '" + name + "' is not a column of the reference");
                    }
                }
            }
        } else if (reference == null) {
            names = List.of();
        } else {
            names = new ArrayList<>(reference.numericColumns());
            names.addAll(reference.categoricalColumns());
            names.remove(target);
        }
        MonitorRun.checkKeys(names, options);
        return new FeatureLayout(names, names.stream()
                .map(name -> reference != null && reference.categoricalColumns().contains(name)).toList());
    }
}
