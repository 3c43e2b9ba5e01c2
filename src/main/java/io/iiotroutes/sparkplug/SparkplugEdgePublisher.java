package io.iiotroutes.sparkplug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.forward.ForwardJournal;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.mqtt.SessionMqttClient;
import io.iiotroutes.node.NodeConfig;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSecurityException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.tahu.message.model.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge node of ours as a Sparkplug B edge node (node file {@code protocol: sparkplug-b}; docs/edge-nodes.md),
 * in place of the JSON publisher, called by the same acquisition route ({@link #publish}).
 * <p>
 * Sessions (Sparkplug 3.0): clean start; at every CONNECT a will NDEATH carrying the next {@code bdSeq} (0–255, kept
 * in a file so it goes on after a restart: {@link SparkplugBdSeqFile}; QoS 1, not retained); then it subscribes to its
 * NCMD (and the primary host's STATE when one is named) and publishes NBIRTH (seq 0, every channel, the same bdSeq)
 * — at once, or once the primary host's STATE says online. DATA go as NDATA, QoS 0 as Sparkplug asks, seq +1 each
 * (255 → 0). An NCMD {@code Node Control/Rebirth} = true is answered with a new NBIRTH (same bdSeq). Before a clean
 * disconnect it publishes its NDEATH.
 * <p>
 * Store and forward on the node's journal ({@link ForwardJournal}, its own directory): whatever cannot be sent live
 * (not connected, not born, primary host offline, a send that failed, or older data still waiting) is journaled,
 * and replayed oldest-first after the next birth as NDATA with {@code is_historical}; an entry is forgotten once it
 * was written to the connection (QoS 0: a message in flight when the connection drops can be lost, as with any
 * Sparkplug node; nothing is lost while the node knows it is offline).
 */
public final class SparkplugEdgePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugEdgePublisher.class);
    static final int REPLAY_BATCH = 100;
    private static final long IDLE_WAIT_MILLIS = 200;

    /** What it needs to know: where, who, and where its state lives. */
    public record Settings(String brokerUrl, String clientId, String username, char[] password, String group,
                           String edgeNode, String primaryHostId, Path journalDir, JournalSettings journal, Path bdSeqFile) {
    }

    private final Settings settings;
    private final SparkplugEdgePayloads payloads;
    private final SocketFactory socketFactory;
    private final Clock clock;
    private final SparkplugBdSeqFile bdSeqFile;
    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final Object sendLock = new Object();
    private final Object signal = new Object();
    private final Map<String, Reading> latest = new HashMap<>();
    private final Map<String, Long> latestAt = new HashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong births = new AtomicLong();
    private ForwardJournal journal;
    private EdgeSession client;
    private Thread worker;
    private volatile boolean running;
    private volatile boolean born;
    private volatile boolean birthWanted;
    private volatile boolean hostOnline;
    private volatile long hostStateTimestamp = Long.MIN_VALUE;
    private volatile long bdSeq;
    private long seq;
    /** CONNECTs made, and the last one whose completion subscribed and asked for its birth. */
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectHandled = new AtomicLong();

    public SparkplugEdgePublisher(Settings settings, NodeConfig config, SocketFactory socketFactory) {
        this(settings, config, socketFactory, Clock.systemUTC());
    }

    SparkplugEdgePublisher(Settings settings, NodeConfig config, SocketFactory socketFactory, Clock clock) {
        this.settings = settings;
        this.payloads = new SparkplugEdgePayloads(config);
        this.socketFactory = socketFactory;
        this.clock = clock;
        this.bdSeqFile = new SparkplugBdSeqFile(settings.bdSeqFile());
        this.hostOnline = settings.primaryHostId() == null;
    }

    /** Opens the journal and connects in the background (with back-off, for as long as it takes). */
    public synchronized void start() throws IOException {
        journal = ForwardJournal.open(settings.journalDir(), settings.journal());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setSocketFactory(socketFactory);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(new String(settings.password()).getBytes(StandardCharsets.UTF_8));
        }
        try {
            client = new EdgeSession(settings.brokerUrl(), settings.clientId(), options);
        } catch (MqttException e) {
            journal.close();
            throw new IllegalArgumentException("invalid MQTT settings for " + settings.clientId() + ": " + e.getMessage(), e);
        }
        client.setManualAcks(false);
        client.setCallback(new Callback());
        running = true;
        worker = new Thread(this::work, "sparkplug-edge-" + settings.edgeNode());
        worker.setDaemon(true);
        worker.start();
        client.connectInBackground();
    }

    /** A message of the node: NDATA now when born and nothing waits before it, else into the journal. */
    public void publish(NodeMessage message) {
        synchronized (sendLock) {
            for (Reading reading : message.readings()) {
                latest.put(reading.channel(), reading);
                latestAt.put(reading.channel(), message.timestamp());
            }
            if (born && journal.isEmpty() && send(message)) {
                published.incrementAndGet();
                return;
            }
            journal.append(codec.encode(message));
        }
        wake();
    }

    /** Sends one NDATA; false when the connection did not take it. Holds the send lock. */
    private boolean send(NodeMessage message) {
        long next = seq;
        try {
            client.publish(SparkplugTopics.nodeTopic(settings.group(), MessageType.NDATA, settings.edgeNode()),
                    payloads.data(next, message), 0, false);
            seq = (next + 1) % 256;
            return true;
        } catch (MqttException | RuntimeException e) {
            LOG.debug("NDATA of {} not sent: {}", settings.edgeNode(), e.toString());
            born = false;   // a new connection brings a new birth
            return false;
        }
    }

    private void work() {
        while (running) {
            try {
                if (birthWanted && hostOnline && client.isConnected()) {
                    birth();
                }
                if (born && !journal.isEmpty()) {
                    replayBatch();
                    continue;
                }
                journal.syncIfDue();
                synchronized (signal) {
                    signal.wait(IDLE_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Sparkplug edge node {}: {}", settings.edgeNode(), e.toString(), e);
            }
        }
    }

    /** NBIRTH with seq 0 and the bdSeq of this connection's will; DATA may follow. */
    private void birth() {
        synchronized (sendLock) {
            birthWanted = false;
            try {
                client.publish(SparkplugTopics.nodeTopic(settings.group(), MessageType.NBIRTH, settings.edgeNode()),
                        payloads.birth(0, bdSeq, clock.millis(), latest, latestAt), 0, false);
                seq = 1;
                born = true;
                births.incrementAndGet();
                LOG.info("Sparkplug edge node {}/{} born (bdSeq {})", settings.group(), settings.edgeNode(), bdSeq);
            } catch (MqttException | RuntimeException e) {
                born = false;
                LOG.warn("NBIRTH of {} not published: {}", settings.edgeNode(), e.toString());
            }
        }
    }

    /** Journaled messages, oldest first, as historical NDATA; forgotten once written. */
    private void replayBatch() {
        List<ForwardJournal.Entry> batch = journal.peek(REPLAY_BATCH);
        ForwardJournal.Entry last = null;
        try {
            for (ForwardJournal.Entry entry : batch) {
                NodeMessage message;
                try {
                    NodeMessage stored = codec.decode(entry.bytes());
                    message = new NodeMessage(stored.version(), stored.site(), stored.node(), stored.seq(),
                            stored.timestamp(), true, stored.readings());
                } catch (InvalidMessageException e) {
                    LOG.warn("journal entry of {} not readable, skipped: {}", settings.edgeNode(), e.getMessage());
                    last = entry;
                    continue;
                }
                synchronized (sendLock) {
                    if (!born || !send(message)) {
                        return;
                    }
                }
                replayed.incrementAndGet();
                last = entry;
            }
        } finally {
            if (last != null) {
                journal.acknowledge(last);
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Published live, replayed from the journal, births so far; what waits in the journal. */
    public long published() {
        return published.get();
    }

    public long replayed() {
        return replayed.get();
    }

    public long births() {
        return births.get();
    }

    public long backlog() {
        return journal.backlog();
    }

    public boolean isBorn() {
        return born;
    }

    /** Publishes its NDEATH (this connection's bdSeq), disconnects, closes the journal; what waits stays there. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sendLock) {
            try {
                if (client.isConnected()) {
                    client.publish(SparkplugTopics.nodeTopic(settings.group(), MessageType.NDEATH, settings.edgeNode()),
                            SparkplugEdgePayloads.death(bdSeq), 1, false);
                }
            } catch (MqttException | RuntimeException e) {
                LOG.debug("NDEATH of {} not published: {}", settings.edgeNode(), e.toString());
            }
            born = false;
            try {
                client.shutdown();
            } catch (MqttException e) {
                LOG.debug("closing the MQTT client of {}: {}", settings.edgeNode(), e.toString());
            }
            journal.close();
        }
    }

    /** Our MQTT 5 session with its reconnect loop; every CONNECT registers an NDEATH with the next bdSeq. */
    private final class EdgeSession extends SessionMqttClient {
        EdgeSession(String url, String clientId, MqttConnectionOptions options) throws MqttException {
            super(url, clientId, options);
        }

        @Override
        public void connect(MqttConnectionOptions options) throws MqttSecurityException, MqttException {
            long next = bdSeqFile.next();
            MqttMessage will = new MqttMessage(SparkplugEdgePayloads.death(next));
            will.setQos(1);
            will.setRetained(false);
            options.setWill(SparkplugTopics.nodeTopic(settings.group(), MessageType.NDEATH, settings.edgeNode()), will);
            born = false;
            bdSeq = next;
            connects.incrementAndGet();
            super.connect(options);
        }
    }

    /** Connection events (reconnect loop thread) and commands (Paho's callback thread: nothing blocks here). */
    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Paho and our reconnect loop both report the same connection, on two threads: only the first report
            // subscribes and asks for the birth. A second one, racing a birth the primary host's STATE had already
            // started, would birth again (seq back to 0 in the middle of the data).
            long connection = connects.get();
            if (connectHandled.getAndSet(connection) == connection) {
                return;
            }
            try {
                String ncmd = SparkplugTopics.nodeTopic(settings.group(), MessageType.NCMD, settings.edgeNode());
                birthWanted = true;
                if (settings.primaryHostId() == null) {
                    client.subscribe(new String[]{ncmd}, new int[]{1});
                } else {
                    client.subscribe(new String[]{ncmd, SparkplugTopics.stateTopic(settings.primaryHostId())}, new int[]{1, 1});
                }
                wake();
            } catch (MqttException e) {
                birthWanted = false;
                LOG.warn("Sparkplug edge node {}: subscription refused ({}); no birth on this connection",
                        settings.edgeNode(), e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (topic.equals(SparkplugTopics.nodeTopic(settings.group(), MessageType.NCMD, settings.edgeNode()))) {
                if (SparkplugEdgePayloads.isRebirthRequest(message.getPayload())) {
                    LOG.info("Rebirth requested of Sparkplug edge node {}", settings.edgeNode());
                    birthWanted = true;
                    wake();
                }
            } else if (settings.primaryHostId() != null && topic.equals(SparkplugTopics.stateTopic(settings.primaryHostId()))) {
                primaryHostState(message.getPayload());
            }
        }

        private void primaryHostState(byte[] payload) {
            try {
                JsonNode state = json.readTree(payload);
                long timestamp = state.path("timestamp").asLong(Long.MIN_VALUE);
                if (timestamp < hostStateTimestamp) {
                    return;   // older than what was seen: a late will of an earlier host connection
                }
                hostStateTimestamp = timestamp;
                boolean online = state.path("online").asBoolean(false);
                if (online && !hostOnline) {
                    birthWanted = true;
                }
                hostOnline = online;
                if (!online) {
                    born = false;   // journal until the primary host is back, then a new birth
                }
                wake();
            } catch (IOException | RuntimeException e) {
                LOG.debug("STATE of {} not understood: {}", settings.primaryHostId(), e.toString());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            born = false;
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
