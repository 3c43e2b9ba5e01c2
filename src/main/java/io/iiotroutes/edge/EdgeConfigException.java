package io.iiotroutes.edge;

/** A node configuration that cannot work; the message names the file, channel and field. */
public class EdgeConfigException extends Exception {

    public EdgeConfigException(String message) {
        super(message);
    }

    public EdgeConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
