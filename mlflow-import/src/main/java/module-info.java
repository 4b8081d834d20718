/**
 * The way in from MLflow: {@link dev.runlog.mlflow.MlflowImport} reads an MLflow tracking database
 * (SQLite, or PostgreSQL when its driver is present) or an {@code mlruns/} directory and writes it
 * into a Runlog store through the import SPI. Only the API package is exported.
 */
module dev.runlog.mlflow {
    requires transitive dev.runlog.registry;
    requires com.fasterxml.jackson.databind;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.runlog.mlflow;
}
