package io.iiotroutes.server;

/** A parameter the caller of the REST API got wrong: the status and message of the answer. */
final class ApiError extends Exception {

    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }
}
