package io.iiotroutes.node;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a node YAML file into a {@link NodeConfig} checked against the shared model; the edge adds its driver
 * checks ({@link #load(Path, NodeConfigCheck...)}), the server reads the same files without them.
 */
public final class NodeConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private NodeConfigLoader() {
    }

    public static NodeConfig load(Path file, NodeConfigCheck... checks) throws NodeConfigException {
        JsonNode tree = readTree(file);
        NodeConfig config;
        try {
            config = YAML.treeToValue(tree, NodeConfig.class);
        } catch (JsonMappingException e) {
            throw mappingProblem(file, tree, e);
        } catch (JacksonException e) {
            throw new NodeConfigException(file + ": " + e.getOriginalMessage(), e);
        }
        new NodeConfigValidator(file, config).validate();
        for (NodeConfigCheck check : checks) {
            check.check(file, config);
        }
        return config;
    }

    private static JsonNode readTree(Path file) throws NodeConfigException {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            if (tree == null || !tree.isObject()) {
                throw new NodeConfigException(file + ": not a node configuration (expected a YAML mapping)");
            }
            return tree;
        } catch (JacksonException e) {
            throw new NodeConfigException(file + ": invalid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        } catch (IOException e) {
            throw new NodeConfigException(file + ": cannot read: " + e, e);
        }
    }

    /** Turns Jackson's path (groups[0].channels[2].range) into the channel id and field the user wrote. */
    private static NodeConfigException mappingProblem(Path file, JsonNode tree, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String problem = e instanceof UnrecognizedPropertyException u
                ? "unknown field (known fields: " + new java.util.TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList()) + ")"
                : "invalid value: " + firstLine(e.getOriginalMessage());
        boolean inChannel = path.size() > 4 && "groups".equals(path.get(0).getFieldName())
                && "channels".equals(path.get(2).getFieldName());
        if (inChannel) {
            JsonNode channel = tree.path("groups").path(path.get(1).getIndex()).path("channels").path(path.get(3).getIndex());
            String id = channel.path("id").asText("#" + (path.get(3).getIndex() + 1));
            return withCause(NodeConfigException.forChannel(file, id, describe(path.subList(4, path.size())), problem), e);
        }
        return withCause(NodeConfigException.forField(file, describe(path), problem), e);
    }

    private static String describe(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static NodeConfigException withCause(NodeConfigException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }
}
