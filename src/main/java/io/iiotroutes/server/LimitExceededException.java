package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;

/**
 * A well-formed message that would take the server past one of its per-node resource limits (docs/delivery.md,
 * "Limits"): dead-lettered with stage {@code limit} and a reason that names the setting.
 */
public class LimitExceededException extends InvalidMessageException {

    private final String limit;

    /** @param limit the setting's short name, e.g. {@code max-unknown-channels-per-node} */
    public LimitExceededException(String limit, String reason) {
        super(reason);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
