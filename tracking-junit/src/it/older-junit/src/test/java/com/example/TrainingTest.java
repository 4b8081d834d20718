package com.example;

import static dev.runlog.junit.RunlogAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.junit.RunlogExtension;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TrainingTest {
    @RegisterExtension
    static RunlogExtension runlog = RunlogExtension.inMemory();

    @Test
    void theUsersJunitRunsTheExtension(Tracker tracker) {
        Run run = tracker.run("training", r -> r.logParam("lr", 0.1).logMetric("loss", 0.25, 1));
        assertThat(run).hasStatus(RunStatus.FINISHED).hasParam("lr", "0.1");
        assertEquals("5.11.4", Test.class.getPackage().getImplementationVersion(), "the JUnit on the class path");
    }

    @Test
    void noSqliteDriverComesWithTheExtension() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.sqlite.JDBC"));
    }

    @Test
    void noGuavaComesWithRunlog() {
        // tracking-core hashes with the JDK; Guava and its jars are not the user's to carry.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.common.hash.Hashing"));
    }
}
