package dev.runlog.server.internal.mlflow;

/**
 * An MLflow error: its {@code error_code}, the HTTP status MLflow's server sends with that code,
 * and a message. Thrown by the routes, turned into {@code {"error_code", "message"}} by
 * {@link MlflowApi}.
 */
final class MlflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    MlflowException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** {@code INVALID_PARAMETER_VALUE}, 400: the request is wrong. */
    static MlflowException invalid(String message) {
        return new MlflowException("INVALID_PARAMETER_VALUE", 400, message);
    }

    /** {@code RESOURCE_DOES_NOT_EXIST}, 404. */
    static MlflowException notFound(String message) {
        return new MlflowException("RESOURCE_DOES_NOT_EXIST", 404, message);
    }

    /** {@code RESOURCE_ALREADY_EXISTS}, 400 as in MLflow. */
    static MlflowException exists(String message) {
        return new MlflowException("RESOURCE_ALREADY_EXISTS", 400, message);
    }

    /** {@code ENDPOINT_NOT_FOUND}, 404: no such route. */
    static MlflowException noEndpoint(String message) {
        return new MlflowException("ENDPOINT_NOT_FOUND", 404, message);
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
