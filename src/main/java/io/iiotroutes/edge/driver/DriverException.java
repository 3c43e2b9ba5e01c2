package io.iiotroutes.edge.driver;

/** The device as a whole is unusable (cannot be opened); channel problems are results, not exceptions. */
public class DriverException extends Exception {

    private static final long serialVersionUID = 1L;

    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
