package io.iiotroutes.codec;

/** A payload that breaks the contract; the message says which rule, for the dead-letter record. */
public class InvalidMessageException extends Exception {

    public InvalidMessageException(String reason) {
        super(reason);
    }

    public InvalidMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
