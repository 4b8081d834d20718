package dev.runlog.mlflow.internal;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * MLflow's file store, an {@code mlruns/} directory: {@code <experiment>/meta.yaml} (deleted
 * experiments under {@code .trash/}), {@code <experiment>/<run>/meta.yaml} with {@code params/},
 * {@code tags/} and {@code metrics/} files (one per key, a key with {@code /} in subdirectories;
 * a metric line is {@code timestamp value [step]}), and the registry under {@code models/<name>/}
 * ({@code meta.yaml}, {@code tags/}, {@code aliases/<alias>} holding a version number,
 * {@code version-N/meta.yaml} and its {@code tags/}). Every {@code meta.yaml} is read by
 * {@link FlatYaml}. Symbolic links are not followed: a store is data, not a map of the disk.
 */
public final class FileStoreSource implements MlflowSource {
    private static final int POINT_BATCH = 50_000;
    private static final long MAX_VALUE_BYTES = 1 << 20;

    private final Path root;
    private final List<String[]> unreadable = new ArrayList<>();
    private final java.util.Set<Path> links = new java.util.HashSet<>();
    /** Run directories by run id, found by {@link #runIds}. */
    private Map<String, Path> runs;

    public FileStoreSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(this.root)) {
            throw new InvalidInputException(root + " is a symbolic link, which an import does not follow; give the"
                    + " directory it points to");
        }
        if (!Files.isDirectory(this.root, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(root + " is not a directory");
        }
        if (experimentDirectories().isEmpty() && !Files.isDirectory(this.root.resolve("models"))) {
            throw new InvalidInputException(root + " is not an MLflow file store: no <experiment>/meta.yaml and no models/");
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Optional<Path> baseDirectory() {
        return Optional.of(root.getParent() == null ? root : root.getParent());
    }

    private List<Path> experimentDirectories() {
        List<Path> all = new ArrayList<>(children(root));
        all.addAll(children(root.resolve(".trash")));
        return all.stream().filter(dir -> !dir.getFileName().toString().equals("models")
                && !dir.getFileName().toString().startsWith(".")
                && !skippedLink(dir.resolve("meta.yaml"))
                && Files.isRegularFile(dir.resolve("meta.yaml"), LinkOption.NOFOLLOW_LINKS)).toList();
    }

    @Override
    public List<Experiment> experiments() {
        List<Experiment> all = new ArrayList<>();
        for (Path dir : experimentDirectories()) {
            FlatYaml meta = FlatYaml.read(dir.resolve("meta.yaml"));
            for (Path logged : children(dir.resolve("models"))) {
                unreadable.add(new String[] {"logged model " + logged.getFileName() + " of experiment " + dir.getFileName(),
                        "MLflow 3's logged models are not imported; their files stay in the MLflow store"});
            }
            boolean trashed = dir.getParent().getFileName().toString().equals(".trash");
            Instant created = meta.number("creation_time").map(Instant::ofEpochMilli).orElse(null);
            Instant updated = meta.number("last_update_time").map(Instant::ofEpochMilli).orElse(created);
            created = created != null ? created : updated != null ? updated : Instant.EPOCH;
            String id = meta.require("experiment_id");
            if (!id.equals(dir.getFileName().toString())) {
                // As for a run: MLflow's file store names an experiment's directory by its id.
                throw new InvalidInputException(meta.file() + " says experiment " + id + " but is in directory "
                        + dir.getFileName());
            }
            all.add(new Experiment(id, meta.require("name"),
                    trashed ? dev.runlog.tracking.LifecycleStage.DELETED
                            : SqlSource.stage(lifecycleStage(meta)),
                    created, updated == null ? created : updated, files(dir.resolve("tags"))));
        }
        // Numerically for decimal ids; a malformed one is refused when imported.
        all.sort(java.util.Comparator.comparing((Experiment e) -> e.id().length()).thenComparing(Experiment::id));
        return all;
    }

    @Override
    public List<String> runIds() {
        if (runs == null) {
            runs = new TreeMap<>();
            for (Path experiment : experimentDirectories()) {
                for (Path dir : children(experiment)) {
                    if (List.of("tags", "datasets", "models").contains(dir.getFileName().toString())
                            || skippedLink(dir.resolve("meta.yaml"))) {
                        continue;
                    }
                    if (!Files.isRegularFile(dir.resolve("meta.yaml"), LinkOption.NOFOLLOW_LINKS)) {
                        unreadable.add(new String[] {dir.toString(), "it has no meta.yaml (or one that is not a"
                                + " regular file), so it is no run MLflow wrote"});
                        continue;
                    }
                    Path other = runs.put(dir.getFileName().toString(), dir);
                    if (other != null) {
                        throw new InvalidInputException("Run " + dir.getFileName() + " is both " + other + " and "
                                + dir + "; a run id is one run");
                    }
                }
            }
        }
        return List.copyOf(runs.keySet());
    }

    @Override
    public void forEachRun(Consumer<SourceRun> action) {
        runIds();
        for (Map.Entry<String, Path> entry : runs.entrySet()) {
            Path dir = entry.getValue();
            FlatYaml meta = FlatYaml.read(dir.resolve("meta.yaml"));
            String id = meta.get("run_id").or(() -> meta.get("run_uuid")).orElse(entry.getKey());
            if (!id.equals(entry.getKey())) {
                throw new InvalidInputException(meta.file() + " says run " + id + " but is in directory " + entry.getKey());
            }
            String experimentId = meta.require("experiment_id");
            if (!experimentId.equals(dir.getParent().getFileName().toString())) {
                throw new InvalidInputException(meta.file() + " says experiment " + experimentId + " but is in the"
                        + " directory of experiment " + dir.getParent().getFileName());
            }
            action.accept(new SourceRun(id, experimentId, meta.get("run_name").orElse(null),
                    status(meta), meta.number("start_time").orElse(null), meta.number("end_time").orElse(null),
                    lifecycleStage(meta), meta.number("deleted_time").orElse(null),
                    meta.get("artifact_uri").orElse(""), files(dir.resolve("params")), files(dir.resolve("tags")),
                    inputs(id, dir), Optional.of(dir.resolve("artifacts")), meta.get("user_id").orElse(null)));
        }
    }

    /**
     * A run's dataset inputs as MLflow's {@code FileStore.log_inputs} writes them: each
     * {@code inputs/<input id>/meta.yaml} ({@code source_type: DATASET}, {@code source_id}, and
     * {@code tags}, where {@code mlflow.data.context} is the context) names a dataset the run's
     * experiment keeps once in {@code datasets/<source_id>/meta.yaml} ({@code name}, {@code digest},
     * {@code source_type}, {@code source}, {@code schema}, {@code profile}), the columns of MLflow's
     * {@code datasets} table. An input of another kind, or naming no dataset there, is reported.
     */
    private List<DatasetInput> inputs(String runId, Path runDir) {
        List<DatasetInput> inputs = new ArrayList<>();
        for (Path input : children(runDir.resolve("inputs"))) {
            String what = "input " + input.getFileName() + " of run " + runId;
            Path metaFile = input.resolve("meta.yaml");
            if (skippedLink(metaFile)) {
                continue;
            }
            if (!Files.isRegularFile(metaFile, LinkOption.NOFOLLOW_LINKS)) {
                unreadable.add(new String[] {what, "it has no meta.yaml"});
                continue;
            }
            FlatYaml meta = FlatYaml.read(metaFile);
            String type = meta.get("source_type").orElse("");
            String datasetId = meta.get("source_id").orElse("");
            Path datasetFile = runDir.getParent().resolve("datasets").resolve(datasetId).resolve("meta.yaml");
            if (!type.equals("DATASET")) {
                unreadable.add(new String[] {what, "its source_type is '" + type + "', not DATASET"});
            } else if (!datasetId.matches("[A-Za-z0-9_-]+") || !Files.isRegularFile(datasetFile, LinkOption.NOFOLLOW_LINKS)) {
                unreadable.add(new String[] {what, "its dataset '" + datasetId + "' is not in the experiment's datasets/"});
            } else {
                FlatYaml dataset = FlatYaml.read(datasetFile);
                inputs.add(new DatasetInput(MlflowDatasets.of(dataset.require("name"), dataset.require("digest"),
                        dataset.get("source_type").orElse(null), dataset.get("source").orElse(null),
                        dataset.get("schema").orElse(null), dataset.get("profile").orElse(null)),
                        meta.mapping("tags").getOrDefault("mlflow.data.context", "")));
            }
        }
        return inputs;
    }

    /**
     * The file store writes RunStatus as its protobuf number (RUNNING = 1 ... KILLED = 5); older ones
     * as names. Anything else MLflow never wrote, and is refused naming the file.
     */
    private static String status(FlatYaml meta) {
        String status = meta.get("status").orElse("FINISHED");
        return switch (status) {
            case "1", "RUNNING" -> "RUNNING";
            case "2", "SCHEDULED" -> "SCHEDULED";
            case "3", "FINISHED" -> "FINISHED";
            case "4", "FAILED" -> "FAILED";
            case "5", "KILLED" -> "KILLED";
            default -> throw new InvalidInputException(meta.file() + ": 'status' is '" + status
                    + "', not an MLflow run status (1 to 5, or RUNNING, SCHEDULED, FINISHED, FAILED, KILLED)");
        };
    }

    /** {@code active} or {@code deleted}, as MLflow writes it (active when absent); anything else is refused naming the file. */
    private static String lifecycleStage(FlatYaml meta) {
        String stage = meta.get("lifecycle_stage").orElse("active");
        if (!stage.equals("active") && !stage.equals("deleted")) {
            throw new InvalidInputException(meta.file() + ": 'lifecycle_stage' is '" + stage + "', not active or deleted");
        }
        return stage;
    }

    @Override
    public void metrics(String runId, Consumer<List<Metric>> batch) {
        Path metrics = runs.get(runId).resolve("metrics");
        for (Map.Entry<String, Path> key : keyFiles(metrics).entrySet()) {
            List<Metric> points = new ArrayList<>();
            try (BufferedReader lines = Files.newBufferedReader(key.getValue(), StandardCharsets.UTF_8)) {
                String line;
                int number = 0;
                while ((line = lines.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        // MLflow's own reader takes a blank line for a malformed metric too.
                        throw new InvalidInputException(key.getValue() + " line " + number + " is blank, not 'timestamp value [step]'");
                    }
                    points.add(point(key.getKey(), line, key.getValue(), number));
                    if (points.size() == POINT_BATCH) {
                        batch.accept(List.copyOf(points));
                        points.clear();
                    }
                }
                if (number == 0) {
                    // A metric with no points has nothing to import; MLflow's own reader calls it malformed.
                    unreadable.add(new String[] {"metric " + key.getKey() + " of run " + runId,
                        "its file " + key.getValue() + " is empty: no point to import"});
                }
            } catch (IOException e) {
                throw new StoreException("Cannot read " + key.getValue() + ": " + e.getMessage(), e);
            }
            if (!points.isEmpty()) {
                batch.accept(points);
            }
        }
    }

    private static Metric point(String key, String line, Path file, int number) {
        String[] fields = line.strip().split(" ");
        if (fields.length != 2 && fields.length != 3) {
            throw new InvalidInputException(file + " line " + number + " is not 'timestamp value [step]'");
        }
        try {
            return new Metric(key, value(fields[1]), fields.length == 3 ? Long.parseLong(fields[2]) : 0,
                    Long.parseLong(fields[0]));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(file + " line " + number + " is not 'timestamp value [step]': "
                    + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
        }
    }

    /** Python's float text: nan, inf and -inf as str() writes them. */
    private static double value(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!text.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                    throw new NumberFormatException(text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    @Override
    public List<SourceModel> models() {
        List<SourceModel> models = new ArrayList<>();
        for (Path dir : children(root.resolve("models"))) {
            if (skippedLink(dir.resolve("meta.yaml")) || !Files.isRegularFile(dir.resolve("meta.yaml"), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            FlatYaml meta = FlatYaml.read(dir.resolve("meta.yaml"));
            Map<String, Integer> aliases = new LinkedHashMap<>();
            files(dir.resolve("aliases")).forEach((alias, version) -> {
                try {
                    aliases.put(alias, Integer.parseInt(version.strip()));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(dir.resolve("aliases").resolve(alias) + " holds '" + version
                            + "', not a version number");
                }
            });
            List<SourceVersion> versions = new ArrayList<>();
            for (Path version : children(dir)) {
                if (version.getFileName().toString().matches("version-[0-9]+")
                        && !skippedLink(version.resolve("meta.yaml"))
                        && Files.isRegularFile(version.resolve("meta.yaml"), LinkOption.NOFOLLOW_LINKS)) {
                    FlatYaml v = FlatYaml.read(version.resolve("meta.yaml"));
                    long number = v.number("version").orElseThrow(() -> new InvalidInputException(v.file() + " has no 'version'"));
                    if (number < 1 || number > Integer.MAX_VALUE) {
                        throw new InvalidInputException(v.file() + " gives version " + number
                                + "; version numbers are 1 to " + Integer.MAX_VALUE);
                    }
                    if (!version.getFileName().toString().equals("version-" + number)) {
                        // As for a run: MLflow's file store names a version's directory by its number.
                        throw new InvalidInputException(v.file() + " says version " + number + " but is in directory "
                                + version.getFileName());
                    }
                    versions.add(new SourceVersion((int) number,
                            v.number("creation_timestamp").orElse(null), v.number("last_updated_timestamp").orElse(null),
                            v.get("description").orElse(null), v.get("user_id").orElse(null),
                            v.get("current_stage").orElse("None"), v.get("source").orElse(""), v.get("run_id").orElse(null),
                            v.get("status").orElse("READY"), files(version.resolve("tags"))));
                }
            }
            versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
            String name = meta.get("name").orElse(dir.getFileName().toString());
            if (!name.equals(dir.getFileName().toString())) {
                // MLflow's file store names a model's directory by the model.
                throw new InvalidInputException(meta.file() + " says model '" + name + "' but is in directory "
                        + dir.getFileName());
            }
            models.add(new SourceModel(name,
                    meta.number("creation_timestamp").orElse(null), meta.number("last_updated_timestamp").orElse(null),
                    meta.get("description").orElse(null), files(dir.resolve("tags")), aliases, versions));
        }
        return models;
    }

    @Override
    public List<String[]> unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        // nothing held open
    }

    /**
     * Whether {@code path} is a symbolic link, which is then listed as skipped (once per path). Links
     * are not followed: a store from elsewhere could point them anywhere, and what they point to
     * would be copied into the Runlog store. Left out silently, an experiment moved to another disk
     * behind a link was simply missing from the import.
     */
    private boolean skippedLink(Path path) {
        if (!Files.isSymbolicLink(path)) {
            return false;
        }
        if (links.add(path)) {
            unreadable.add(new String[] {path.toString(), "it is a symbolic link, which the import does not follow, so"
                    + " nothing it points to is imported; put the files themselves there, or import that store on its own"});
        }
        return true;
    }

    /** The value files under {@code dir} by key (relative path with '/'), as MLflow keeps params, tags, aliases. */
    private Map<String, String> files(Path dir) {
        Map<String, String> values = new TreeMap<>();
        keyFiles(dir).forEach((key, file) -> {
            try {
                if (Files.size(file) > MAX_VALUE_BYTES) {
                    throw new InvalidInputException(file + " is larger than " + MAX_VALUE_BYTES + " bytes; a value is not");
                }
                values.put(key, Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidInputException("Cannot read " + file + " as UTF-8 text: " + e.getMessage());
            }
        });
        return values;
    }

    private Map<String, Path> keyFiles(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        if (skippedLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(f -> !skippedLink(f) && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)).forEach(f -> {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    // As named: a backslash in a name is no separator here, and is refused as keys refuse it.
                    files.put(dir.relativize(f).toString(), f);
                } else {
                    unreadable.add(new String[] {f.toString(), "it is not a regular file (a FIFO, a socket or a device)"});
                }
            });
        } catch (IOException e) {
            throw new StoreException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private List<Path> children(Path dir) {
        if (skippedLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().filter(p -> !skippedLink(p) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new StoreException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
