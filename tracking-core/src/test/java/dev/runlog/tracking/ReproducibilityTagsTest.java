package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tags every run gets at start that say what it was made from. */
class ReproducibilityTagsTest {
    @Test
    void everyRunRecordsTheJvmTheMachineTheCommandAndTheGitState() {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            ActiveRun run = tracker.startRun("repro");
            run.end(RunStatus.FINISHED);
            Map<String, String> tags = tracker.getRun(run.id()).data().tags();
            assertEquals(System.getProperty("java.version"), tags.get(ActiveRun.JAVA_VERSION_TAG));
            assertEquals(System.getProperty("java.vendor"), tags.get(ActiveRun.JAVA_VENDOR_TAG));
            assertTrue(tags.get(ActiveRun.OS_TAG).startsWith(System.getProperty("os.name") + " "), tags.toString());
            assertTrue(tags.get(ActiveRun.OS_TAG).endsWith(" " + System.getProperty("os.arch")), tags.toString());
            assertTrue(!tags.get(ActiveRun.HOST_TAG).isBlank(), tags.toString());
            assertEquals(System.getProperty("sun.java.command").trim(), tags.get(ActiveRun.COMMAND_LINE_TAG));
            // The build runs in a git clone of Runlog: its commit and whether it is dirty are recorded.
            if (tags.containsKey(ActiveRun.GIT_COMMIT_TAG)) {
                assertTrue(Map.of("true", 1, "false", 0).containsKey(tags.get(ActiveRun.GIT_DIRTY_TAG)), tags.toString());
            }
        }
    }

    @Test
    void recordClasspathGivesEveryRunTheJarsWithTheirMavenCoordinates() throws Exception {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).recordClasspath(true).build()) {
            String runId = tracker.startRun("repro").id();
            JsonNode json;
            try (InputStream in = tracker.openArtifact(runId, "runlog/classpath.json")) {
                json = new ObjectMapper().readTree(in);
            }
            assertEquals(System.getProperty("java.version"), json.get("javaVersion").asText());
            boolean jackson = false;
            for (JsonNode entry : json.get("entries")) {
                jackson |= "com.fasterxml.jackson.core".equals(entry.path("groupId").asText())
                        && "jackson-databind".equals(entry.path("artifactId").asText())
                        && new ObjectMapper().version().toString().equals(entry.path("version").asText());
            }
            assertTrue(jackson, json.toString());
        }
    }

    @Test
    void noClasspathArtifactByDefault() {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String runId = tracker.startRun("repro").id();
            assertTrue(tracker.listArtifacts(runId, "").stream().noneMatch(entry -> entry.path().startsWith("runlog")));
        }
    }
}
