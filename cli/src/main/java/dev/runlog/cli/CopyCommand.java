package dev.runlog.cli;

import dev.runlog.registry.CopyReport;
import dev.runlog.registry.StoreCopy;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.util.LinkedHashMap;
import java.util.Map;
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
        CopyReport report = StoreCopy.copy(source, ctx().open(to, true), soFar -> ctx().progress("copying: " + soFar));
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
}
