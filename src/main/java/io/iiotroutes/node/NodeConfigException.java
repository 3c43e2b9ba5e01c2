package io.iiotroutes.node;

import java.nio.file.Path;

/** A node configuration that cannot be used; the message names the file, the channel (when there is one) and the field. */
public class NodeConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public NodeConfigException(String message) {
        super(message);
    }

    public NodeConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "node-1.yaml: channel 'ai1': field 'range': inverted range ..." */
    public static NodeConfigException forChannel(Path file, String channel, String field, String problem) {
        return new NodeConfigException(file + ": channel '" + channel + "': field '" + field + "': " + problem);
    }

    /** For node, driver and group fields: "node-1.yaml: field 'driver.type': unknown driver ..." */
    public static NodeConfigException forField(Path file, String field, String problem) {
        return new NodeConfigException(file + ": field '" + field + "': " + problem);
    }
}
