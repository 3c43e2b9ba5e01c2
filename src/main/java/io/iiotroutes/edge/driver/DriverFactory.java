package io.iiotroutes.edge.driver;

import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.node.NodeConfig;

import java.time.Clock;

/** Builds the driver a node file asks for; tests inject their own. */
@FunctionalInterface
public interface DriverFactory {

    Driver create(NodeConfig node, Clock clock) throws NodeConfigException;
}
