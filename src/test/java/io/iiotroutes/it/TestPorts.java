package io.iiotroutes.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that need a fixed port (HiveMQ, the shared web/WebSocket port).
 * <p>
 * Picked below Linux's ephemeral range (32768–60999): a port the kernel handed out for a bind to port 0 lies in that
 * range, and between the pick and the server's bind any outgoing connection of the suite may get it as its local
 * port ("Address already in use" in JavaRouteFileIT once). Ports handed out once are not handed out again.
 */
public final class TestPorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private TestPorts() {
    }

    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + FIRST + "-" + LAST + " after 200 tries"));
    }
}
