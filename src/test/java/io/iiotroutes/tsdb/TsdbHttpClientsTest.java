package io.iiotroutes.tsdb;

import org.junit.jupiter.api.Test;

import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TsdbHttpClientsTest {

    @Test
    void tsdbConnectionsHaveNagleOff() throws Exception {
        try (Socket socket = TsdbHttpClients.builder().build().socketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay(), "a write body over one segment would wait for the delayed ACK");
        }
    }
}
