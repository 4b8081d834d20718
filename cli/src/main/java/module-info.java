/**
 * The {@code runlog} command-line tool. It is an application: it exports nothing but its logging
 * configuration to {@code java.util.logging}. picocli is built into it from source (see the
 * module's pom), so the commands' annotations it reads are its own module's.
 */
module dev.runlog.cli {
    requires dev.runlog.tracking;
    requires dev.runlog.registry;
    requires dev.runlog.server;
    requires dev.runlog.mlflow;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    requires java.logging;

    // For RunlogCli.QuietLogging, which java.util.logging instantiates by name.
    exports dev.runlog.cli to java.logging;
}
