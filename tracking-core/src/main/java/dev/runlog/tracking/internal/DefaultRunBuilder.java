package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunBody;
import dev.runlog.tracking.RunBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

final class DefaultRunBuilder implements RunBuilder {
    private final DefaultTracker tracker;
    private final String experimentName;
    private final String experimentId;
    private String name;
    private String parentRunId;
    private final Map<String, String> tags = new LinkedHashMap<>();

    /** Exactly one of experimentName and experimentId is non-null. */
    DefaultRunBuilder(DefaultTracker tracker, String experimentName, String experimentId) {
        this.tracker = tracker;
        this.experimentName = experimentName;
        this.experimentId = experimentId;
    }

    @Override
    public RunBuilder name(String name) {
        this.name = InputRules.name("run", name);
        return this;
    }

    @Override
    public RunBuilder tag(String key, String value) {
        tags.put(InputRules.key("tag", key), InputRules.tagValue(key, value));
        return this;
    }

    @Override
    public RunBuilder tags(Map<String, String> tags) {
        this.tags.putAll(InputRules.tags(tags));
        return this;
    }

    @Override
    public RunBuilder parent(ActiveRun parent) {
        return parent(InputRules.notNull("parent run", parent).id());
    }

    @Override
    public RunBuilder parent(String parentRunId) {
        this.parentRunId = InputRules.runId(parentRunId);
        return this;
    }

    @Override
    public ActiveRun start() {
        return tracker.startRun(experimentName, experimentId, name, parentRunId, tags);
    }

    @Override
    public <E extends Exception> Run run(RunBody<E> body) throws E {
        InputRules.notNull("run body", body);
        DefaultActiveRun run = (DefaultActiveRun) start();
        // FINISHED when the body returns, FAILED with the failure's tags when it throws.
        try {
            body.accept(run);
        } catch (Throwable failure) {
            // Already ended: by the body itself, or KILLED by the shutdown hook; either status stands.
            if (!run.isEnded()) {
                try {
                    run.fail(failure);
                } catch (RuntimeException endFailure) {
                    failure.addSuppressed(endFailure);
                }
            }
            throw failure;
        }
        run.close();
        return tracker.getRun(run.id());
    }
}
