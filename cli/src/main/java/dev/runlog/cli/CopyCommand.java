package dev.runlog.cli;

import dev.runlog.registry.CopyReport;
import dev.runlog.registry.StoreCopy;
import dev.runlog.mlflow.MlflowImport;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** copy: a whole store into another, exactly, as {@link StoreCopy} does it. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy a whole store into another, exactly: experiments, runs, metric points, artifacts, models"
                + " and the registry's audit trail, ids and version numbers kept.",
                "Nothing is written when an id or name of the source is taken in the target."})
final class CopyCommand extends FormattedCommand {
    @Option(names = "--from", paramLabel = "URI", description = "The store to copy; default: the --store lookup.")
    String from;

    @Option(names = "--to", paramLabel = "URI", required = true, description = "The store to copy into.")
    String to;

    @Override
    Integer run() {
        Tracker source = from == null ? ctx().tracker() : ctx().open(from, false);
        String sourceUri = from == null ? ctx().storeUri() : from;
        warnOfUnfinished(source);
        Tracker target = ctx().open(to, true);
        List<String> stoppedBefore = unfinished(target);
        CopyReport report;
        try {
            report = StoreCopy.copy(source, target, soFar -> ctx().progress("copying: " + soFar));
        } catch (RuntimeException e) {
            ctx().progressDone();
            if (!stoppedBefore.containsAll(unfinished(target))) {
                ctx().err.println(Text.visible("runlog: the copy stopped part way: " + InputRules.hideCredentials(to)
                        + " now holds what was copied before the error below (its experiments are tagged "
                        + StoreCopy.STATE_TAG + "=" + StoreCopy.UNFINISHED + "); delete it, and copy again into a new"
                        + " store once the cause is mended"));
            }
            throw e;
        }
        ctx().progressDone();
        if (format == Format.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("from", InputRules.hideCredentials(sourceUri));
            json.put("to", InputRules.hideCredentials(to));
            json.put("experiments", report.experiments());
            json.put("runs", report.runs());
            json.put("metric_points", report.metricPoints());
            json.put("artifacts", report.artifacts());
            json.put("artifact_bytes", report.artifactBytes());
            json.put("models", report.models());
            json.put("versions", report.versions());
            json.put("events", report.events());
            ctx().out.println(Text.json(json));
        } else {
            ctx().out.println(Text.visible("copied " + InputRules.hideCredentials(sourceUri) + " to " + InputRules.hideCredentials(to) + ": " + report));
        }
        return 0;
    }

    /**
     * A source a copy or an MLflow import was stopped in holds part of a history: the copy keeps
     * its marker (so doctor reports the target too), and says so now, since the copy itself succeeds.
     */
    private void warnOfUnfinished(Tracker source) {
        try (Stream<Experiment> all = source.searchExperiments().viewType(ViewType.ALL).stream()) {
            all.filter(e -> StoreCopy.UNFINISHED.equals(e.tags().get(StoreCopy.STATE_TAG))
                            || MlflowImport.UNFINISHED.equals(e.tags().get(MlflowImport.STATE_TAG)))
                    .forEach(e -> ctx().err.println(Text.visible("runlog: warning: experiment '" + e.name() + "' (id "
                            + e.id() + ") of the source holds a copy or MLflow import that was stopped before it"
                            + " finished; it is copied as it is, with its marker, and runlog doctor reports it in the target")));
        }
    }

    /** The target's experiments a copy was stopped in; none when the target cannot be read now. */
    private static List<String> unfinished(Tracker target) {
        try (Stream<Experiment> all = target.searchExperiments().viewType(ViewType.ALL).stream()) {
            return all.filter(e -> StoreCopy.UNFINISHED.equals(e.tags().get(StoreCopy.STATE_TAG))).map(Experiment::id).toList();
        } catch (RuntimeException unreachable) {
            return List.of();
        }
    }
}
