package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application inside the test's JVM, set up as every integration test needs it: the embedded broker (not
 * persistent) and the embedded TSDB on free loopback ports, the web page on a free port, data under the test's
 * folder. A test adds or overrides properties with {@link #with}.
 */
final class TestServer {

    private final Mode mode;
    private final int brokerPort = TestPorts.free();
    private final int webPort = TestPorts.free();
    private final int tlsPort = TestPorts.free();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private TestServer(Mode mode, Path dataDir) {
        this.mode = mode;
        overrides.put("iiot.data.dir", dataDir.toString());
        overrides.put("iiot.broker.port", Integer.toString(brokerPort));
        overrides.put("iiot.broker.persistent", "false");
        overrides.put("iiot.tsdb.http-port", "0");
        overrides.put("iiot.tsdb.pg-port", "0");
        overrides.put("iiot.web.port", Integer.toString(webPort));
    }

    static TestServer of(Mode mode, Path dataDir) {
        return new TestServer(mode, dataDir);
    }

    TestServer with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** The test's raw publishers stand in for nodes without accounts (MqttSecurityIT covers authentication). */
    TestServer anonymousPublishers() {
        return with("iiot.broker.allow-anonymous", "true");
    }

    /** A TLS listener on {@link #tlsPort()} with the test certificates' keystore, beside the plain one. */
    TestServer withTls(TestCertificates certificates) {
        return with("iiot.broker.tls.port", Integer.toString(tlsPort))
                .with("iiot.broker.tls.keystore", certificates.keystore().toString())
                .with("iiot.broker.tls.keystore-password", certificates.password());
    }

    /** Builds and starts the application; the caller stops it. */
    IiotApplication start() throws Exception {
        IiotApplication app = new IiotApplication(mode, Map.copyOf(overrides));
        app.start();
        return app;
    }

    int brokerPort() {
        return brokerPort;
    }

    int webPort() {
        return webPort;
    }

    int tlsPort() {
        return tlsPort;
    }
}
