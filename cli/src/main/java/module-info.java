/**
 * The {@code runlog} command-line tool. It is an application: it exports nothing, and opens its
 * package to picocli, which reads the commands' annotations and sets their fields by reflection.
 */
module dev.runlog.cli {
    requires dev.runlog.tracking;
    requires dev.runlog.registry;
    requires dev.runlog.server;
    requires dev.runlog.mlflow;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    requires java.logging;

    opens dev.runlog.cli to info.picocli;
}
