package io.iiotroutes.net;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoDelaySocketFactoryTest {

    @Test
    void everySocketHasNagleOffAndOneBufferedInputThatReadsWhatWasSent() throws Exception {
        NoDelaySocketFactory factory = new NoDelaySocketFactory();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 5, loopback)) {
            for (Socket socket : new Socket[]{factory.createSocket("127.0.0.1", server.getLocalPort()),
                    factory.createSocket(loopback, server.getLocalPort()),
                    factory.createSocket(loopback, server.getLocalPort(), loopback, 0)}) {
                try (socket; Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                    assertTrue(socket.getTcpNoDelay());
                    InputStream input = socket.getInputStream();
                    assertInstanceOf(BufferedInputStream.class, input);
                    assertSame(input, socket.getInputStream(), "one stream: bytes buffered are never lost to a second one");

                    byte[] packet = {0x30, 0x03, 'a', 'b', 'c', 0x40, 0x02, 0x00, 0x01};
                    out.write(packet);
                    out.flush();
                    DataInputStream data = new DataInputStream(input);
                    byte[] read = new byte[packet.length];
                    for (int i = 0; i < 2; i++) {
                        read[i] = data.readByte();   // header bytes one at a time, as Paho reads them
                    }
                    data.readFully(read, 2, packet.length - 2);
                    assertArrayEquals(packet, read);
                }
            }
            Socket unconnected = factory.createSocket();
            assertTrue(unconnected.getTcpNoDelay());
            assertEquals(false, unconnected.isConnected());
            unconnected.close();
        }
    }
}
