package io.iiotroutes.app.config;

import io.iiotroutes.mqtt.MqttTimeouts;
import io.iiotroutes.mqtt.PacketSize;
import io.iiotroutes.mqtt.SessionMqttClient;
import org.apache.camel.CamelContext;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import javax.net.SocketFactory;

/**
 * Every MQTT client of the process: credentials (the embedded broker's own accounts, or from the environment for an
 * external broker), plain or TLS sockets by the URL's scheme ({@value #SOCKET_FACTORY}), and in server modes the
 * server's two persistent sessions, {@value #DATA_CLIENT} and {@value #STATUS_CLIENT}, and the client its routes publish
 * with, {@value #PUBLISH_CLIENT}. With
 * {@code iiot.server.require-services} an external broker that does not answer at start-up stops the server.
 */
public final class MqttClientsConfiguration implements IiotConfiguration {

    public static final String SOCKET_FACTORY = "mqttSocketFactory";
    public static final String DATA_CLIENT = "serverMqttClient";
    public static final String STATUS_CLIENT = "serverStatusClient";
    public static final String PUBLISH_CLIENT = "serverPublishClient";

    private final IiotSettings settings;
    private final BrokerConfiguration broker;
    private final boolean server;
    private SocketFactory socketFactory;
    private SessionMqttClient dataClient;
    private SessionMqttClient statusClient;

    /** @param server whether the mode runs the server (its sessions and publisher) */
    public MqttClientsConfiguration(IiotSettings settings, BrokerConfiguration broker, boolean server) {
        this.settings = settings;
        this.broker = broker;
        this.server = server;
    }

    @Override
    public void configure(CamelContext context) {
        MqttSettings mqtt = broker.mqtt();
        MqttCredentials.apply(context, mqtt);
        socketFactory = MqttTransport.socketFactory(mqtt);
        context.getRegistry().bind(SOCKET_FACTORY, socketFactory);
        if (!server) {
            return;
        }
        ServerSettings serverSettings = settings.server();
        MqttConnectionOptions options = serverOptions();
        options.setCleanStart(false);
        // MQTT 5: without an expiry interval the broker drops the session at disconnect, however clean start is set
        options.setSessionExpiryInterval(serverSettings.dataSessionExpirySeconds());
        String url = mqtt.brokerUrl();
        String clientId = serverSettings.clientId();
        // one session per subscription: camel-paho-mqtt5's consumer installs its own callback on the client
        dataClient = bindSessionClient(context, DATA_CLIENT, url, clientId, options);
        statusClient = bindSessionClient(context, STATUS_CLIENT, url, clientId + "-status", options);
        // what the server publishes (acknowledgements, alarms, dead letters): no session, a bounded wait per publish
        // (Paho's synchronous client otherwise waits for good for a PUBACK lost with its connection, which stopped
        // every acknowledgement after a broker restart) and a reconnect loop that never gives up
        MqttConnectionOptions publishing = new MqttConnectionOptions();
        publishing.setCleanStart(true);
        publishing.setKeepAliveInterval(MqttTimeouts.KEEP_ALIVE_SECONDS);
        publishing.setConnectionTimeout(MqttTimeouts.CONNECT_TIMEOUT_SECONDS);
        publishing.setSocketFactory(socketFactory);
        mqtt.username().ifPresent(publishing::setUserName);
        mqtt.password().ifPresent(p -> publishing.setPassword(p.getBytes()));
        bindSessionClient(context, PUBLISH_CLIENT, url, clientId + "-publish", publishing).connectInBackground();
        if (serverSettings.requireServices() && broker.broker().isEmpty()) {
            RequiredServices.awaitBroker(url, clientId, options, serverSettings.startupWait());
        }
    }

    private static SessionMqttClient bindSessionClient(CamelContext context, String name, String url, String clientId,
                                                       MqttConnectionOptions options) {
        try {
            SessionMqttClient client = new SessionMqttClient(url, clientId, options);
            context.getRegistry().bind(name, client);
            StopWithContext.register(context, "MQTT client " + clientId, client::shutdown);
            return client;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the MQTT client " + clientId + ": " + e.getMessage(), e);
        }
    }

    /** The sockets every MQTT client of the process uses (also the edge publishers'). */
    /**
     * What every session the server subscribes with shares (its data and status sessions, the Sparkplug host's):
     * timeouts, transport, account, and how much the broker may send it before it is read.
     */
    MqttConnectionOptions serverOptions() {
        MqttSettings mqtt = broker.mqtt();
        ServerSettings serverSettings = settings.server();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setKeepAliveInterval(MqttTimeouts.KEEP_ALIVE_SECONDS);
        // a reconnect attempt that hangs must give up soon, so the next attempt can succeed
        options.setConnectionTimeout(MqttTimeouts.CONNECT_TIMEOUT_SECONDS);
        options.setSocketFactory(socketFactory);
        // MQTT 5 receive maximum: the broker sends at most this many unacknowledged messages; with batched writes
        // the server holds that many at most (in memory, unacknowledged) and the broker keeps the rest
        options.setReceiveMaximum(serverSettings.batchMaxMessages());
        // and none larger than the payload limit allows (the broker does not send it): bounded before it is read
        options.setMaximumPacketSize((long) PacketSize.forPayload(serverSettings.maxPayloadBytes()));
        mqtt.username().ifPresent(options::setUserName);
        mqtt.password().ifPresent(p -> options.setPassword(p.getBytes()));
        return options;
    }

    SocketFactory socketFactory() {
        return socketFactory;
    }

    /** The server's data session ({@value #DATA_CLIENT}), for its health check. */
    SessionMqttClient dataClient() {
        return dataClient;
    }

    /** The server's status session ({@value #STATUS_CLIENT}), for its health check. */
    SessionMqttClient statusClient() {
        return statusClient;
    }
}
