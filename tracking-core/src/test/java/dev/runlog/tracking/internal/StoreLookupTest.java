package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StoreLookupTest {
    @Test
    void propertyWinsOverEnvironmentWhichWinsOverTheDefault() {
        assertEquals("sqlite:runlog.db", StoreLookup.defaultUri(null, null));
        assertEquals("sqlite:runlog.db", StoreLookup.defaultUri(" ", ""));
        assertEquals("memory:", StoreLookup.defaultUri(null, "memory:"));
        assertEquals("sqlite:/tmp/a.db", StoreLookup.defaultUri("sqlite:/tmp/a.db", "memory:"));
    }
}
