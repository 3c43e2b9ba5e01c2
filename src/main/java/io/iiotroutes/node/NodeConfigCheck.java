package io.iiotroutes.node;

import java.nio.file.Path;

/** A further check of a node file that only one side needs (the edge's driver checks); throws the first problem. */
@FunctionalInterface
public interface NodeConfigCheck {

    void check(Path file, NodeConfig node) throws NodeConfigException;
}
