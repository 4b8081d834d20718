package dev.runlog.tracking.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.spi.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;

/**
 * {@code MLmodel.json}: the descriptor of a logged model, written and read with Jackson. Besides
 * what {@link LoggedModel} exposes it lists every payload file with its size and SHA-256, which is
 * how a load names the one file that changed.
 */
final class ModelDescriptor {
    static final String FILE_NAME = "MLmodel.json";
    static final String PAYLOAD_DIR = "data";
    static final String INPUT_EXAMPLE = "input_example.json";
    static final String RUNLOG_VERSION = readVersion();

    /** A payload file: its path relative to {@link #PAYLOAD_DIR}, size and SHA-256. */
    record PayloadFile(String path, long size, String sha256) {
    }

    final LoggedModel model;
    final SortedMap<String, PayloadFile> files;

    ModelDescriptor(LoggedModel model, SortedMap<String, PayloadFile> files) {
        this.model = model;
        this.files = files;
    }

    /** The payload digest: SHA-256 over "path NUL sha256 LF" of each file, in path order. */
    static String payloadDigest(SortedMap<String, PayloadFile> files) {
        var digest = Sha256.newDigest();
        for (PayloadFile f : files.values()) {
            digest.update(f.path().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(f.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            digest.update((byte) '\n');
        }
        return Sha256.hex(digest);
    }

    byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("runlog_version", model.runlogVersion());
        root.put("model_uuid", model.modelUuid());
        root.put("run_id", model.runId());
        root.put("artifact_path", model.artifactPath());
        root.put("utc_time_created", model.creationTime().toString());
        ObjectNode flavor = root.putObject("flavors").putObject(model.flavor());
        model.flavorConfig().forEach(flavor::put);
        ObjectNode payload = root.putObject("payload");
        payload.put("directory", PAYLOAD_DIR);
        payload.put("size", model.payloadSize());
        payload.put("sha256", model.payloadSha256());
        ObjectNode fileNodes = payload.putObject("files");
        files.values().forEach(f -> fileNodes.putObject(f.path()).put("size", f.size()).put("sha256", f.sha256()));
        model.signature().ifPresent(signature -> {
            ObjectNode node = root.putObject("signature");
            writeFields(node.putArray("inputs"), signature.inputs());
            writeFields(node.putArray("outputs"), signature.outputs());
        });
        model.inputExample().ifPresent(example -> root.put("input_example", example));
        ObjectNode metadata = root.putObject("metadata");
        model.metadata().forEach(metadata::put);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private static void writeFields(ArrayNode array, List<ModelSignature.Field> fields) {
        for (ModelSignature.Field field : fields) {
            ObjectNode node = array.addObject().put("name", field.name()).put("type", field.type());
            if (field.isTensor()) {
                ArrayNode shape = node.putArray("shape");
                field.shape().forEach(shape::add);
            }
        }
    }

    /** Reads a descriptor; {@code where} names it in errors. */
    static ModelDescriptor read(InputStream in, String where) {
        try {
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, String> flavorConfig = new LinkedHashMap<>();
            var flavor = root.required("flavors").properties().iterator().next();
            flavor.getValue().properties().forEach(e -> flavorConfig.put(e.getKey(), e.getValue().asText()));
            JsonNode payload = root.required("payload");
            SortedMap<String, PayloadFile> files = new java.util.TreeMap<>();
            payload.required("files").properties().forEach(e -> files.put(e.getKey(),
                    new PayloadFile(e.getKey(), e.getValue().required("size").asLong(), e.getValue().required("sha256").asText())));
            Optional<ModelSignature> signature = Optional.empty();
            if (root.hasNonNull("signature")) {
                signature = Optional.of(new ModelSignature(readFields(root.get("signature").required("inputs")),
                        readFields(root.get("signature").required("outputs"))));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            if (root.hasNonNull("metadata")) {
                root.get("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            }
            LoggedModel model = new LoggedModel(root.required("run_id").asText(), root.required("artifact_path").asText(),
                    flavor.getKey(), flavorConfig, root.required("model_uuid").asText(),
                    Instant.parse(root.required("utc_time_created").asText()), payload.required("size").asLong(),
                    payload.required("sha256").asText(), signature,
                    Optional.ofNullable(root.hasNonNull("input_example") ? root.get("input_example").asText() : null),
                    metadata, root.path("runlog_version").asText("unknown"));
            checkPayloadTotals(model, files);
            return new ModelDescriptor(model, files);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.util.NoSuchElementException ? "it names no flavor"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            // The file is there but is not what logModel wrote (damaged, hand-made, another tool's):
            // no later attempt reads it better.
            throw new IntegrityException("The model descriptor " + where + " is not a valid " + FILE_NAME + ": " + why, e);
        }
    }

    /**
     * The payload's size and digest are what its file list adds up to, as {@code logModel} wrote
     * them: an edited total would otherwise be reported as the model's size, unchecked, since every
     * check reads the file list.
     */
    private static void checkPayloadTotals(LoggedModel model, SortedMap<String, PayloadFile> files) {
        long size = 0;
        for (PayloadFile file : files.values()) {
            if (file.size() < 0) {
                throw new IllegalArgumentException("payload file " + file.path() + " has a negative size (" + file.size() + ")");
            }
            size += file.size();
        }
        if (model.payloadSize() != size) {
            throw new IllegalArgumentException("its payload size (" + model.payloadSize() + " bytes) is not the sum of its"
                    + " files' sizes (" + size + " bytes)");
        }
        if (!model.payloadSha256().equals(payloadDigest(files))) {
            throw new IllegalArgumentException("its payload SHA-256 (" + model.payloadSha256() + ") is not the digest of"
                    + " its file list (" + payloadDigest(files) + ")");
        }
    }

    private static List<ModelSignature.Field> readFields(JsonNode array) {
        List<ModelSignature.Field> fields = new ArrayList<>();
        for (JsonNode node : array) {
            List<Long> shape = new ArrayList<>();
            node.path("shape").forEach(d -> shape.add(d.asLong()));
            fields.add(new ModelSignature.Field(node.required("name").asText(), node.required("type").asText(), shape));
        }
        return fields;
    }

    /** The same descriptor moved to another run (an import), keeping the model's uuid. */
    ModelDescriptor movedTo(String runId) {
        LoggedModel m = model;
        return new ModelDescriptor(new LoggedModel(runId, m.artifactPath(), m.flavor(), m.flavorConfig(), m.modelUuid(),
                m.creationTime(), m.payloadSize(), m.payloadSha256(), m.signature(), m.inputExample(), m.metadata(),
                m.runlogVersion()), files);
    }

    private static String readVersion() {
        try (InputStream in = ModelDescriptor.class.getResourceAsStream("/dev/runlog/tracking/runlog-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
