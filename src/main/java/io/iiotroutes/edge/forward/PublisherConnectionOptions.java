package io.iiotroutes.edge.forward;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import javax.net.SocketFactory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The MQTT 5 CONNECT options of a publisher: clean start (the journal holds what is unsent, the broker need keep
 * nothing), reconnection left to {@link BrokerConnection}, the settings' timeouts, sockets and credentials (the
 * password is cleared from memory once copied).
 */
final class PublisherConnectionOptions {

    private PublisherConnectionOptions() {
    }

    static MqttConnectionOptions of(PublisherSettings settings, SocketFactory socketFactory) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setSocketFactory(socketFactory);
        // what the broker may send us: acknowledgements of at most 64 KiB (AckCodec), so a huge publish on the
        // acknowledgement topic is refused by the broker instead of being read into memory here
        options.setMaximumPacketSize(1024L * 1024);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        char[] password = settings.password();
        if (password != null) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            options.setPassword(bytes);
            Arrays.fill(password, '\0');
        }
        return options;
    }
}
