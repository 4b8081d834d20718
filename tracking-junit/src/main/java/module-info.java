/**
 * The JUnit 5 extension ({@code RunlogExtension}) and assertions ({@code RunlogAssertions}) for
 * testing training code. {@code RunlogExtension.sqlite()} needs {@code dev.runlog.storage.sqlite}
 * on the module path as well.
 */
module dev.runlog.junit {
    requires transitive dev.runlog.tracking;
    requires transitive dev.runlog.registry;
    requires transitive org.junit.jupiter.api;

    exports dev.runlog.junit;
}
