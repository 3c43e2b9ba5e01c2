package io.iiotroutes.edge.forward;

import io.iiotroutes.it.TestPorts;

/** A TCP port on 127.0.0.1 that was free a moment ago (HiveMQ cannot bind port 0 and report it); see {@link TestPorts}. */
final class FreePort {

    private FreePort() {
    }

    static int find() {
        return TestPorts.free();
    }
}
