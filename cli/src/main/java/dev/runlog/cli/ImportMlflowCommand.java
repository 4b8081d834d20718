package dev.runlog.cli;

import dev.runlog.mlflow.MlflowImport;
import dev.runlog.mlflow.MlflowImportReport;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** import-mlflow: an MLflow store brought into a Runlog store, as {@link MlflowImport} does it. */
@Command(name = "import-mlflow", mixinStandardHelpOptions = true,
        description = {"Import an MLflow store: experiments, runs (ids, times, statuses kept), params, metrics, tags,"
                + " dataset inputs, local artifacts, and registered models with their version numbers, stages and aliases.",
                "Prints what was imported and what was skipped and why. Nothing is written when an id or name of the"
                        + " MLflow store is taken in the target."})
final class ImportMlflowCommand extends FormattedCommand {
    @Option(names = "--from", paramLabel = "MLFLOW", required = true,
            description = "The MLflow store: mlflow.db (a SQLite file), sqlite:PATH, postgresql://user:pw@host/db,"
                    + " or an mlruns/ directory.")
    String from;

    @Option(names = "--to", paramLabel = "URI", description = "The Runlog store to import into; default: the --store lookup.")
    String to;

    @Override
    Integer run() {
        // A local source is checked first, so a mistyped one leaves no new, empty target behind.
        Optional<Path> local = Context.localFile(from);
        if (local.isPresent() && !Files.exists(local.get())) {
            throw new NotFoundException(InputRules.hideCredentials("no MLflow store at " + local.get()));
        }
        String targetUri = to == null ? ctx().storeUri() : to;
        Optional<Path> targetFile = Context.sqliteFile(targetUri);
        boolean newTarget = targetFile.isPresent() && !Files.exists(targetFile.get());
        Tracker target = to == null ? ctx().targetTracker() : ctx().open(to, true);
        MlflowImportReport report;
        try {
            report = MlflowImport.from(from).into(target).run();
        } catch (RuntimeException e) {
            // A refused import (not an MLflow store, an id taken) writes nothing: a store file it
            // made for the import would be left empty, to be mistaken later for the import's result.
            if (newTarget && target.listExperiments(ViewType.ALL).isEmpty()) {
                target.close();
                deleteEmptyStore(targetFile.get());
            }
            throw e;
        }
        if (format == Format.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("from", InputRules.hideCredentials(report.source()));
            json.put("to", InputRules.hideCredentials(targetUri));
            json.put("experiments", report.experiments());
            json.put("runs", report.runs());
            json.put("metric_points", report.metricPoints());
            json.put("artifacts", report.artifacts());
            json.put("artifact_bytes", report.artifactBytes());
            json.put("models", report.models());
            json.put("versions", report.versions());
            json.put("skipped", report.skipped().stream().map(s -> {
                Map<String, String> entry = new LinkedHashMap<>(); // what, then why: the order people read
                entry.put("what", s.what());
                entry.put("reason", s.reason());
                return entry;
            }).toList());
            ctx().out.println(Text.json(json));
        } else {
            ctx().out.println(Text.visible("imported " + InputRules.hideCredentials(report.source()) + " into " + InputRules.hideCredentials(targetUri) + ": " + report.counts()));
            List<MlflowImportReport.Skipped> skipped = report.skipped();
            ctx().out.println("skipped " + skipped.size() + (skipped.isEmpty() ? "" : ":"));
            // What an MLflow store holds is anyone's text (an artifact location, a name): escaped.
            skipped.forEach(s -> ctx().out.println(Text.visible("  " + s)));
        }
        return 0;
    }

    /** The SQLite file of a store this command made and left empty, with its side files; quietly. */
    private static void deleteEmptyStore(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (java.io.IOException e) {
                // left behind: the store is empty either way, and the import's own error matters more
            }
        }
    }
}
