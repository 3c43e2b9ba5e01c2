package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket client of the live stream, as a browser would be: collects every frame it receives. */
final class LiveClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final List<Long> receivedAt = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    LiveClient(String host, int port) throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode frame = JSON.readTree(partial.toString());
                        receivedAt.add(System.currentTimeMillis());
                        frames.add(frame);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + host + ":" + port + "/ws"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    /** When each frame of {@link #frames()} arrived (epoch ms), in the same order. */
    List<Long> receivedAt() {
        return List.copyOf(receivedAt);
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
