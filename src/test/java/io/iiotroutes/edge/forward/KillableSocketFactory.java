package io.iiotroutes.edge.forward;

import io.iiotroutes.net.NoDelaySocketFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the sockets it made, so a test can cut the TCP connection as a crash or a cable pull would. */
final class KillableSocketFactory extends NoDelaySocketFactory {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = super.createSocket();
        sockets.add(socket);
        return socket;
    }

    /** Resets every connection made so far (no MQTT DISCONNECT is sent: the broker must fire the will). */
    void killAll() throws IOException {
        for (Socket socket : sockets) {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
    }
}
