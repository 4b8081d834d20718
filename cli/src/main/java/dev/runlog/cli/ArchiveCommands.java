package dev.runlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** export and import: the {@code .tar.gz} archives of runs and models that the API writes. */
final class ArchiveCommands {
    /** The entry every Runlog archive begins with; its {@code kind} says run or model. */
    static final String MANIFEST = "runlog-archive.json";
    /** A manifest is a few hundred bytes; more is not a Runlog archive, and is not read into memory. */
    private static final long MANIFEST_LIMIT = 64 * 1024;

    private ArchiveCommands() {
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a run or a model to a .tar.gz archive.",
                    "SOURCE is a run id (the whole run), runs:/RUN_ID/PATH (a logged model)"
                            + " or models:/NAME/VERSION|STAGE, models:/NAME@ALIAS (a registered version's model)."})
    static final class Export extends FormattedCommand {
        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Option(names = "--force", description = "Replace FILE if it exists (otherwise an existing file is refused).")
        boolean force;

        @Override
        public Integer run() throws IOException {
            // An archive is often the only copy of what it holds (a run exported before a purge):
            // replacing one by mistake loses it, so only --force does.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file)
                    && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
                throw new UsageException(file + " is not a regular file (a device, a pipe or a socket); give the path of a file");
            }
            if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file)) {
                throw new UsageException(file + " already exists; give --force to replace it, or another FILE");
            }
            String kind;
            String what;
            ctx().progress("exporting " + source + " ...");
            if (source.startsWith("models:/")) {
                ModelVersion version = ctx().registry().resolve(source);
                ctx().tracker().exportModel(version.source(), file);
                kind = "model";
                what = version.name() + " version " + version.version() + " (" + version.source() + ")";
            } else if (source.startsWith("runs:/")) {
                ctx().tracker().exportModel(source, file);
                kind = "model";
                what = source;
            } else {
                ctx().tracker().exportRun(source, file);
                kind = "run";
                what = "run " + source;
            }
            ctx().progressDone();
            long bytes = Files.size(file);
            if (format == Format.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("kind", kind);
                json.put("source", source);
                json.put("file", file.toAbsolutePath().toString());
                json.put("bytes", bytes);
                ctx().out.println(Text.json(json));
            } else {
                ctx().out.println(Text.visible("exported " + what + " to " + file + " (" + Text.size(bytes) + ")"));
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import an archive written by runlog export (or Tracker.exportRun/exportModel).",
                    "Whether it holds a run or a model is read from the manifest it begins with."})
    static final class Import extends FormattedCommand {
        @Parameters(paramLabel = "FILE")
        Path file;


        @Override
        public Integer run() {
            String kind = kindOf(file);
            ctx().progress("importing " + file + " ...");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            String text;
            if (kind.equals("run")) {
                Run run = ctx().targetTracker().importRun(file);
                json.put("run_id", run.info().id());
                json.put("experiment_id", run.info().experimentId());
                text = "imported run " + run.info().name() + " as " + run.info().id();
            } else {
                LoggedModel model = ctx().targetTracker().importModel(file);
                json.put("run_id", model.runId());
                json.put("model_uri", model.uri());
                text = "imported model as " + model.uri() + " (runlog register NAME " + model.uri() + " makes it a version)";
            }
            ctx().progressDone();
            ctx().out.println(format == Format.JSON ? Text.json(json) : Text.visible(text));
            return 0;
        }
    }

    /**
     * "run" or "model", from the archive's manifest: the first entry of every archive Runlog
     * writes, but looked for among all of them, as the import itself does, so that an archive
     * repacked with {@code tar} (which may sort {@code artifacts/} first) is read alike. Only that
     * entry's content is read, at most {@value #MANIFEST_LIMIT} bytes of it: the import itself
     * checks the rest as hostile input.
     */
    static String kindOf(Path archive) {
        try (InputStream raw = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry entry = tar.getNextEntry();
            // GNU tar's "tar czf x.tgz ." writes ./ before every name; the import reads it alike.
            while (entry != null && !entry.getName().replaceFirst("^(\\./)+", "").equals(MANIFEST)) {
                entry = tar.getNextEntry();
            }
            if (entry == null || !entry.isFile() || entry.getSize() > MANIFEST_LIMIT) {
                throw notAnArchive(archive);
            }
            JsonNode manifest = Text.Json.MAPPER.readTree(tar.readNBytes((int) entry.getSize()));
            String kind = manifest.path("kind").asText();
            if (!kind.equals("run") && !kind.equals("model")) {
                throw new InvalidInputException("archive " + archive + " holds a '" + kind
                        + "', which this runlog cannot import; it imports runs and models");
            }
            return kind;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no file " + archive);
        } catch (IOException e) {
            if (Files.isRegularFile(archive)) {
                throw notAnArchive(archive);
            }
            throw new UncheckedIOException("cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    private static InvalidInputException notAnArchive(Path archive) {
        return new InvalidInputException(archive + " is not a Runlog archive (a .tar.gz holding " + MANIFEST
                + "); write one with runlog export");
    }
}
