package io.iiotroutes.net;

import javax.net.SocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Plain TCP sockets with Nagle's algorithm off, for every client that writes a request in pieces and then waits
 * for the answer: with Nagle on, the last piece waits for the peer's delayed ACK (40 ms on Linux). Measured here:
 * a QoS 1 stream through HiveMQ collapsed to ~1,100 msg/s; an InfluxDB write of 300 points took 48 ms instead
 * of 2 ms (curl, which sets TCP_NODELAY).
 * <p>
 * Their input is buffered: Paho reads each MQTT packet's header byte by byte from the socket's stream (a system
 * call per byte without a buffer, four or more per message); with a buffer one read takes in the packets that
 * have arrived. A reader that reads large blocks (OkHttp, TLS) goes past the buffer.
 */
public class NoDelaySocketFactory extends SocketFactory {

    private static final int INPUT_BUFFER_BYTES = 8192;

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new BufferedInputSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** One of ours, bound to {@code local} when given, connected to {@code remote}. */
    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    /** A socket whose input stream is one buffered stream, whoever asks for it and how often. */
    static final class BufferedInputSocket extends Socket {

        private InputStream input;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new BufferedInputStream(super.getInputStream(), INPUT_BUFFER_BYTES);
            }
            return input;
        }
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
