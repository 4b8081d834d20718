package dev.runlog.cli;

import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands of the model registry: models, model, register, promote, alias. */
final class ModelCommands {
    private ModelCommands() {
    }

    /** A name as a quoted string of the search grammar. */
    static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The versions of a model, newest first, as MLflow's UI lists them. */
    static List<ModelVersion> versions(ModelRegistry registry, String name) {
        return registry.searchVersions("name = " + quoted(name)).stream()
                .sorted(Comparator.comparingInt(ModelVersion::version).reversed()).toList();
    }

    static String stageColor(String stage) {
        return switch (stage) {
            case "Production" -> CliCommand.GREEN;
            case "Staging" -> CliCommand.YELLOW;
            default -> null;
        };
    }

    @Command(name = "models", mixinStandardHelpOptions = true, description = "List registered models.")
    static final class Models extends FormattedCommand {
        @Option(names = "--filter", paramLabel = "F", description = "e.g. \"name LIKE 'iris%%'\"")
        String filter = "";


        @Override
        public Integer run() {
            ModelRegistry registry = ctx().registry();
            Text.Table table = new Text.Table("name", "versions", "production", "staging", "aliases", "updated");
            List<Object> json = new ArrayList<>();
            for (RegisteredModel model : registry.searchModels(filter)) {
                List<ModelVersion> versions = versions(registry, model.name());
                Optional<ModelVersion> production = registry.latest(model.name(), Stage.PRODUCTION);
                Optional<ModelVersion> staging = registry.latest(model.name(), Stage.STAGING);
                // Every holder: a promotion that kept the previous ones (MLflow's way) leaves several in a stage.
                List<Integer> inProduction = inStage(versions, Stage.PRODUCTION);
                List<Integer> inStaging = inStage(versions, Stage.STAGING);
                if (format == Format.JSON) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", model.name());
                    m.put("description", model.description());
                    m.put("versions", versions.size());
                    m.put("latest_version", versions.isEmpty() ? null : versions.get(0).version());
                    m.put("production", production.map(ModelVersion::version).orElse(null));
                    m.put("staging", staging.map(ModelVersion::version).orElse(null));
                    m.put("production_versions", inProduction);
                    m.put("staging_versions", inStaging);
                    m.put("aliases", model.aliases());
                    m.put("tags", model.tags());
                    m.put("creation_time", model.creationTime().toEpochMilli());
                    m.put("last_update_time", model.lastUpdateTime().toEpochMilli());
                    json.add(m);
                } else {
                    StringBuilder aliases = new StringBuilder();
                    model.aliases().forEach((alias, v) -> aliases.append(aliases.length() == 0 ? "" : " ")
                            .append('@').append(alias).append("=v").append(v));
                    table.row(model.name(), Integer.toString(versions.size()),
                            holders(inProduction), holders(inStaging),
                            aliases.toString(), Text.ago(model.lastUpdateTime(), ctx().clock));
                }
            }
            if (format == Format.JSON) {
                ctx().out.println(Text.json(json));
            } else if (table.isEmpty()) {
                ctx().out.println("no registered models");
            } else {
                table.print(ctx().out, ctx().color);
            }
            return 0;
        }
    }

    /** The versions in {@code stage}, highest first ({@code versions} is highest first). */
    private static List<Integer> inStage(List<ModelVersion> versions, Stage stage) {
        return versions.stream().filter(v -> v.stage() == stage).map(ModelVersion::version).toList();
    }

    private static String holders(List<Integer> versions) {
        return versions.isEmpty() ? "-" : versions.stream().map(v -> "v" + v).collect(Collectors.joining(" "));
    }

    @Command(name = "model", mixinStandardHelpOptions = true,
            description = "One registered model: its versions, stages, aliases and audit trail.")
    static final class Show extends FormattedCommand {
        @Parameters(paramLabel = "NAME")
        String name;


        @Override
        public Integer run() {
            ModelRegistry registry = ctx().registry();
            RegisteredModel model = registry.getModel(name);
            List<ModelVersion> versions = versions(registry, name);
            List<ModelEvent> history = registry.history(name);
            if (format == Format.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", model.name());
                json.put("description", model.description());
                json.put("tags", model.tags());
                json.put("aliases", model.aliases());
                json.put("creation_time", model.creationTime().toEpochMilli());
                json.put("last_update_time", model.lastUpdateTime().toEpochMilli());
                json.put("versions", versions.stream().map(Show::versionJson).toList());
                json.put("history", history.stream().map(Show::eventJson).toList());
                ctx().out.println(Text.json(json));
                return 0;
            }
            PrintWriter out = ctx().out;
            out.println(Text.visible("model " + model.name() + (model.description().isEmpty() ? "" : ": " + model.description())));
            if (!model.tags().isEmpty()) {
                out.println(Text.visible("tags " + model.tags()));
            }
            out.println();
            Text.Table table = new Text.Table("version", "stage", "aliases", "run_id", "user", "created");
            for (ModelVersion v : versions) {
                table.row(Integer.toString(v.version()), v.stage().toString(),
                        String.join(" ", v.aliases().stream().map(a -> "@" + a).toList()), v.runId(),
                        v.userId().isEmpty() ? "-" : v.userId(), Text.ago(v.creationTime(), ctx().clock));
            }
            table.color(1, ModelCommands::stageColor);
            table.print(out, ctx().color);
            out.println();
            out.println("history");
            Text.Table events = new Text.Table("time", "version", "change", "by", "comment", "gates passed");
            for (ModelEvent e : history) {
                events.row(Text.date(e.time(), ctx().clock), e.version() > 0 ? Integer.toString(e.version()) : "-",
                        change(e), e.user().isEmpty() ? "-" : e.user(), e.comment(),
                        String.join("; ", e.gates().stream().map(GateResult::gate).toList()));
            }
            events.print(out, ctx().color);
            return 0;
        }

        private static String change(ModelEvent e) {
            return switch (e.action()) {
                case STAGE_CHANGED -> e.from() + " -> " + e.to();
                case ALIAS_SET -> "@" + e.alias() + " -> v" + e.to();
                case ALIAS_DELETED -> "@" + e.alias() + " deleted";
                case MODEL_RENAMED -> "renamed " + e.from() + " -> " + e.to();
                default -> e.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            };
        }

        static Map<String, Object> versionJson(ModelVersion v) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("version", v.version());
            json.put("stage", v.stage().toString());
            json.put("aliases", v.aliases());
            json.put("run_id", v.runId());
            json.put("source", v.source());
            json.put("user", v.userId());
            json.put("description", v.description());
            json.put("tags", v.tags());
            json.put("creation_time", v.creationTime().toEpochMilli());
            json.put("last_update_time", v.lastUpdateTime().toEpochMilli());
            json.put("model_digest", v.modelDigest().orElse(null));
            return json;
        }

        private static Map<String, Object> eventJson(ModelEvent e) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sequence", e.sequence());
            json.put("time", e.time().toEpochMilli());
            json.put("version", e.version() > 0 ? e.version() : null);
            json.put("action", e.action().name());
            json.put("alias", e.alias());
            json.put("from", e.from());
            json.put("to", e.to());
            json.put("user", e.user());
            json.put("comment", e.comment());
            json.put("gates", e.gates().stream().map(g -> {
                Map<String, Object> gate = new LinkedHashMap<>();
                gate.put("gate", g.gate());
                gate.put("passed", g.passed());
                gate.put("actual", g.actual());
                gate.put("required", g.required());
                return gate;
            }).toList());
            return json;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Move a version to a stage if every gate passes.",
                    "A rejected promotion changes nothing, prints every failed gate and exits 1."})
    static final class Promote extends FormattedCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Parameters(index = "2", paramLabel = "STAGE", description = "Staging or Production")
        Stage stage;

        @Option(names = "--gate", paramLabel = "EXPR",
                description = "\"metrics.accuracy >= 0.9\" or \"tags.validated = 'true'\"; repeatable")
        List<String> gates = new ArrayList<>();

        @Option(names = "--beats-current", paramLabel = "KEY[:min|:max]",
                description = "The version's metric KEY must beat the current holder's (higher, or KEY:max; KEY:min for"
                        + " lower); repeatable")
        List<String> beatsCurrent = new ArrayList<>();

        @Option(names = "--archive-existing",
                description = "Archive the versions now in the stage, in the same transaction (else they stay).")
        boolean archiveExisting;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String comment;

        @Option(names = "--user", paramLabel = "NAME", description = "Who, for the audit trail (default: the OS user).")
        String user;


        @Override
        public Integer run() {
            if (stage != Stage.STAGING && stage != Stage.PRODUCTION) {
                throw new UsageException("STAGE: promote moves a version to Staging or Production, not " + stage
                        + "; to archive a version or move it back to None, call ModelRegistry.transition");
            }
            List<Gate> parsed = new ArrayList<>();
            for (String expression : gates) {
                try {
                    parsed.add(Gates.parse(expression));
                } catch (InvalidInputException e) {
                    throw new UsageException("--gate: " + e.getMessage());
                }
            }
            for (String key : beatsCurrent) {
                try {
                    parsed.add(Gates.parseBeatsCurrent(key));
                } catch (InvalidInputException e) {
                    throw new UsageException("--beats-current: " + e.getMessage());
                }
            }
            TransitionOptions options = TransitionOptions.defaults().archiveExisting(archiveExisting);
            if (comment != null) {
                options = options.comment(comment);
            }
            options = options.user(user != null ? user : System.getProperty("user.name", ""));
            ModelRegistry registry = ctx().registry();
            String from = registry.getVersion(name, version).stage().toString();
            try {
                // Through the registry's promote either way: atomic, re-checked if another promotion lands,
                // and the gates recorded in the audit trail; the holders stay unless --archive-existing.
                ModelVersion promoted = registry.promote(name, version, stage, options, parsed.toArray(Gate[]::new));
                if (format == Format.JSON) {
                    ctx().out.println(Text.json(result(true, List.of())));
                } else {
                    ctx().out.println(Text.visible(name + " version " + promoted.version() + ": " + from + " -> "
                            + promoted.stage() + " (" + parsed.size() + (parsed.size() == 1 ? " gate" : " gates") + " passed"
                            + (archiveExisting ? "; previous holders archived)" : ")")));
                }
                return 0;
            } catch (PromotionRejectedException rejected) {
                if (format != Format.JSON) {
                    throw rejected;
                }
                ctx().out.println(Text.json(result(false, rejected.failures().stream().map(gate -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("gate", gate.gate());
                    g.put("actual", gate.actual());
                    g.put("required", gate.required());
                    return (Object) g;
                }).toList())));
                return RunlogCli.FAILED;
            }
        }

        private Map<String, Object> result(boolean promoted, List<Object> failures) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", name);
            json.put("version", version);
            json.put("stage", stage.toString());
            json.put("promoted", promoted);
            json.put("failed_gates", failures);
            return json;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a logged model (runs:/RUN_ID/PATH, as runlog import prints it) as the next version of NAME.")
    static final class Register extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "MODEL_URI")
        String modelUri;

        @Override
        public Integer call() {
            ModelVersion v = ctx().registry().register(name, modelUri);
            ctx().out.println(Text.visible(name + " version " + v.version() + " registered from " + v.source()));
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true,
            description = "Point an alias (champion, challenger, ...) at a version; an existing alias moves.")
    static final class Alias extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            ModelVersion v = ctx().registry().setAlias(name, alias, version);
            ctx().out.println(Text.visible(name + "@" + alias + " -> version " + v.version() + " (" + v.stage() + ")"));
            return 0;
        }
    }
}
