package io.iiotroutes.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An MQTT 5 client written byte by byte, for what a well-behaved library will not do: send a packet larger than the
 * broker's maximum (Paho refuses that itself, before the broker sees it). Connects without credentials.
 */
final class RawMqtt implements AutoCloseable {

    /** What the broker did after a publish: closed the connection (with a DISCONNECT reason code, if it sent one). */
    record Closed(boolean closed, Integer disconnectReason) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawMqtt(int port, String clientId) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5);              // protocol level: MQTT 5
        body.write(0x02);           // clean start
        body.write(0);
        body.write(60);             // keep alive
        body.write(0);              // no properties
        string(body, clientId);
        packet(0x10, body.toByteArray());
        int type = in.read();
        if (type != 0x20) {
            throw new IOException("no CONNACK but " + type);
        }
        byte[] connack = new byte[remainingLength()];
        new DataInputStream(in).readFully(connack);
        if (connack.length < 2 || connack[1] != 0) {
            throw new IOException("connection refused, reason code " + (connack.length < 2 ? "?" : connack[1] & 0xff));
        }
    }

    /** Publishes with QoS 0 (no acknowledgement to wait for). */
    void publish(String topic, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(payload.length + topic.length() + 8);
        string(body, topic);
        body.write(0);              // no properties
        body.write(payload);
        packet(0x30, body.toByteArray());
    }

    /** Waits up to {@code wait} for the broker to close the connection. */
    Closed awaitClose(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return new Closed(true, null);
                }
                byte[] rest = new byte[remainingLength()];
                new DataInputStream(in).readFully(rest);
                if (type == 0xE0) {
                    Integer reason = rest.length > 0 ? rest[0] & 0xff : 0;
                    return new Closed(in.read() < 0, reason);
                }
            }
        } catch (SocketTimeoutException e) {
            return new Closed(false, null);
        } catch (EOFException | java.net.SocketException e) {
            return new Closed(true, null);
        }
    }

    private void packet(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private int remainingLength() throws IOException {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.read();
            if (digit < 0) {
                throw new EOFException();
            }
            value += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static void string(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
