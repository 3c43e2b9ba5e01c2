package io.iiotroutes.ops;

import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.security.auth.Subject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remote JMX, opt-in: an RMI connector on one port (registry and connections alike, so one firewall rule), bound to
 * one address, refusing every client without the configured username and password. Credentials are compared in
 * constant time; the server deserializes nothing but the two credential strings.
 */
public final class RemoteJmx implements AutoCloseable {

    private final String host;
    private final int port;
    private final String username;
    private final byte[] password;
    private Registry registry;
    private JMXConnectorServer server;

    public RemoteJmx(String host, int port, String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("remote JMX needs a username and a password");
        }
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    public synchronized void start() throws IOException {
        InetAddress address = InetAddress.getByName(host);
        RMIServerSocketFactory sockets = new BoundServerSockets(address);
        registry = LocateRegistry.createRegistry(port, null, sockets);
        Map<String, Object> environment = new HashMap<>();
        environment.put(JMXConnectorServer.AUTHENTICATOR, (JMXAuthenticator) this::authenticate);
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        environment.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, "java.lang.String;java.lang.String[];!*");
        server = JMXConnectorServerFactory.newJMXConnectorServer(serviceUrl(), environment,
                ManagementFactory.getPlatformMBeanServer());
        server.start();
    }

    public JMXServiceURL serviceUrl() throws IOException {
        return new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
    }

    private Subject authenticate(Object credentials) {
        if (credentials instanceof String[] pair && pair.length == 2 && pair[0] != null && pair[1] != null
                && MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8), pair[0].getBytes(StandardCharsets.UTF_8))
                & MessageDigest.isEqual(password, pair[1].getBytes(StandardCharsets.UTF_8))) {
            return new Subject(true, Set.of(new JMXPrincipal(pair[0])), Collections.emptySet(), Collections.emptySet());
        }
        throw new SecurityException("authentication failed");
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (registry != null) {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (NoSuchObjectException ignored) {
                // already gone
            }
            registry = null;
        }
    }

    /** Server sockets on one address only (the default factory listens on every interface). */
    private record BoundServerSockets(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
