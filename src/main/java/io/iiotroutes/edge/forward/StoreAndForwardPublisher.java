package io.iiotroutes.edge.forward;

import io.iiotroutes.codec.MessageEncoder;
import io.iiotroutes.edge.forward.BrokerConnection.Outcome;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.net.NoDelaySocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes one edge node's messages to MQTT without losing them to broker outages (docs/delivery-edge.md).
 * <p>
 * Live path: when connected and nothing is waiting, a message is published at the configured QoS and counts as
 * delivered only on a PUBACK whose reason code is below 0x80. Anything else (no connection, no PUBACK in time, a
 * refusal such as 0x87 not authorized) sends it to the on-disk {@link ForwardJournal}, flagged historical. While the
 * journal holds anything, new messages queue behind it, so a node's messages reach the broker in the order they
 * were published. One replay thread sends the journal oldest-first whenever connected and removes entries only
 * after their PUBACK. Delivery is at-least-once: a message whose PUBACK was lost may arrive twice, never out of
 * its first-arrival order.
 * <p>
 * With {@link Confirmation#SERVER} (the default) the broker's PUBACK is not the end: every message is journaled
 * first, sent (live when nothing waits before it), and forgotten only when the server acknowledges its {@code seq}
 * on {@code iiot/v1/{site}/{node}/ack}, i.e. once the TSDB holds it. What stays unacknowledged is sent again, in
 * order and flagged historical, after every reconnect and once {@code resendAfterMillis} pass without progress (the
 * wait doubling while nothing is acknowledged). So a broker that forgets its queues on restart loses nothing.
 */
public final class StoreAndForwardPublisher implements AutoCloseable {

    static final int REPLAY_BATCH = 100;
    private static final long IDLE_WAIT_MILLIS = 200;
    private static final long RETRY_MIN_MILLIS = 200;
    private static final long RETRY_MAX_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForwardPublisher.class);

    private final PublisherSettings settings;
    private final MessageEncoder encoder;
    private final SocketFactory socketFactory;
    private final String dataTopic;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Signal work = new Signal();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong journaled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final boolean serverConfirms;
    private final AcknowledgementWindow window;
    private final ResendTimer resendTimer;
    private volatile boolean running;
    private volatile ForwardJournal journal;
    private volatile BrokerConnection connection;
    private Thread replayer;
    private boolean started;
    private boolean closed;

    public StoreAndForwardPublisher(PublisherSettings settings, MessageEncoder encoder) {
        this(settings, encoder, new NoDelaySocketFactory());
    }

    /**
     * @param socketFactory how TCP connections are made (e.g. a TLS factory); it should set TCP_NODELAY, without
     *                      which QoS 1 throughput collapses (see {@link NoDelaySocketFactory})
     */
    public StoreAndForwardPublisher(PublisherSettings settings, MessageEncoder encoder, SocketFactory socketFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.socketFactory = Objects.requireNonNull(socketFactory, "socketFactory");
        this.dataTopic = TopicContract.dataTopic(settings.site(), settings.node());
        this.serverConfirms = settings.confirmation() == Confirmation.SERVER;
        this.window = new AcknowledgementWindow(settings.site(), settings.node());
        this.resendTimer = new ResendTimer(settings.resendAfterMillis(), PublisherSettings.MAX_RESEND_AFTER_MILLIS);
    }

    /**
     * Opens the journal (replaying whatever a previous run left) and starts connecting. Returns after the first
     * connection attempt, at most about {@code connectTimeoutSeconds}; a broker that is down is not an error.
     *
     * @throws IOException when the journal cannot be opened (disk trouble, or another publisher uses the directory)
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        ForwardJournal opened = ForwardJournal.open(settings.journalDir(), settings.journal());
        try {
            connection = new BrokerConnection(settings, socketFactory,
                    TopicContract.statusTopic(settings.site(), settings.node()),
                    new StatusPayloads(settings.site(), settings.node()), this::onConnected,
                    serverConfirms ? TopicContract.ackTopic(settings.site(), settings.node()) : null, this::onAck);
        } catch (MqttException e) {
            opened.close();
            throw new IllegalArgumentException("invalid MQTT settings " + settings + ": " + e.getMessage(), e);
        }
        journal = opened;
        started = true;
        running = true;
        replayer = new Thread(this::replayLoop, "forward-replay-" + settings.clientId());
        replayer.setDaemon(true);
        replayer.start();
        connection.start();
    }

    /**
     * Sends the message, or keeps it in the journal for later. Never throws for broker trouble. Blocks only while
     * a live publish waits for its PUBACK: at most {@code connectTimeoutSeconds}, after which the message is
     * journaled and later ones go straight to the journal until the backlog is replayed.
     *
     * @throws IllegalArgumentException when the message belongs to another site or node
     * @throws IllegalStateException    when not started, or closed
     * @throws java.io.UncheckedIOException when the journal cannot write (disk failure): the message is not stored
     */
    public void publish(NodeMessage message) {
        if (!settings.site().equals(message.site()) || !settings.node().equals(message.node())) {
            throw new IllegalArgumentException("message of " + message.site() + "/" + message.node()
                    + " given to the publisher of " + settings.site() + "/" + settings.node());
        }
        if (!running) {
            throw new IllegalStateException("publisher is not running");
        }
        if (serverConfirms) {
            publishUntilAcknowledged(message);
            return;
        }
        if (!journal.isEmpty()) {
            // appending behind a backlog keeps order without the send lock, so a replay stuck waiting for a
            // PUBACK never stalls the caller
            store(message);
            work.raise();
            return;
        }
        sendLock.lock();
        try {
            if (!running) {
                throw new IllegalStateException("publisher is not running");
            }
            if (journal.isEmpty() && connection.isConnected()) {
                Outcome outcome = connection.send(dataTopic, encoder.encode(message));
                if (outcome == Outcome.DELIVERED) {
                    published.incrementAndGet();
                    return;
                }
                if (outcome == Outcome.REFUSED) {
                    refused.incrementAndGet();
                }
            }
            store(message);
        } finally {
            sendLock.unlock();
        }
        work.raise();
    }

    /**
     * Journals the message, then sends it live if nothing waits before it; it stays journaled until the server
     * acknowledges it. Never waits for more than one PUBACK.
     */
    private void publishUntilAcknowledged(NodeMessage message) {
        byte[] record = record(message);
        long position = journal.add(record);
        if (position < 0) {
            return;   // refused by the journal's limit: counted and logged there
        }
        if (journal.unsent() == 1 && connection.isConnected()) {
            sendLock.lock();
            try {
                if (running && journal.isNextToSend(position)) {
                    Outcome outcome = connection.send(dataTopic, encoder.encode(message));
                    if (outcome == Outcome.DELIVERED) {
                        journal.markSent(new ForwardJournal.Entry(position, record));
                        window.sent(message.seq());
                        published.incrementAndGet();
                        return;
                    }
                    if (outcome == Outcome.REFUSED) {
                        refused.incrementAndGet();
                    }
                }
            } finally {
                sendLock.unlock();
            }
        }
        journaled.incrementAndGet();
        work.raise();
    }

    /** An acknowledgement from the server (Paho's callback thread; never throws): see {@link AcknowledgementWindow}. */
    void onAck(byte[] payload) {
        if (running && window.received(payload)) {
            work.raise();
        }
    }

    private void forgetAcknowledged() {
        long forgotten = window.forget(journal, REPLAY_BATCH, () -> running);
        if (forgotten > 0) {
            confirmed.addAndGet(forgotten);
            resendTimer.progress();
        }
    }

    public PublisherStats stats() {
        ForwardJournal j = journal;
        BrokerConnection c = connection;
        JournalSnapshot held = j == null ? JournalSnapshot.NONE : JournalSnapshot.of(j);
        return new PublisherStats(published.get(), journaled.get(), replayed.get(), refused.get(), held.dropped(),
                held.backlog(), held.bytes(), c != null && c.isConnected(), held.unsent(), held.awaitingAck(),
                resent.get(), confirmed.get(), held.oldestWaitingMillis(), c != null && c.ackSubscriptionRefused());
    }

    public boolean isConnected() {
        BrokerConnection c = connection;
        return c != null && c.isConnected();
    }

    /**
     * Publishes the retained offline status (reason "shutdown") if connected, disconnects and closes the journal.
     * Unsent messages stay in the journal for the next start.
     */
    @Override
    public synchronized void close() {
        if (!started || closed) {
            return;
        }
        closed = true;
        running = false;
        work.raise();
        try {
            replayer.join(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()) + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sendLock.lock();
        try {
            connection.close();
            journal.close();
        } finally {
            sendLock.unlock();
        }
        PublisherStats last = stats();
        if (last.dropped() > 0) {
            LOG.warn("Publisher {} lost {} messages to the journal limit ({}) since it started", settings.clientId(),
                    last.dropped(), settings.journal().overflowPolicy());
        }
        LOG.info("Publisher {} stopped: {}; {} messages stay in the journal for the next start",
                settings.clientId(), last, last.backlog());
    }

    private void store(NodeMessage message) {
        if (journal.append(record(message))) {
            journaled.incrementAndGet();
        }
    }

    /** Whatever is sent from the journal is historical, so live views are not confused by late data. */
    private byte[] record(NodeMessage message) {
        NodeMessage historical = new NodeMessage(message.version(), message.site(), message.node(), message.seq(),
                message.timestamp(), true, message.readings());
        return new JournalRecord(dataTopic, encoder.encode(historical), message.seq(), System.currentTimeMillis())
                .toBytes();
    }

    private void onConnected() {
        if (serverConfirms && running) {
            resent.addAndGet(resendTimer.rewindOnConnect(journal));
        }
        connections.incrementAndGet();
        work.raise();
    }

    private void replayLoop() {
        long retryDelay = RETRY_MIN_MILLIS;
        while (running) {
            try {
                journal.syncIfDue();
                if (serverConfirms) {
                    if (window.pending()) {
                        forgetAcknowledged();
                    }
                    resent.addAndGet(resendTimer.rewindIfOverdue(journal, connection.isConnected()));
                }
                if (journal.unsent() == 0 || !connection.isConnected()) {
                    work.await(IDLE_WAIT_MILLIS);
                    continue;
                }
                if (serverConfirms) {
                    resendTimer.passSending(journal.unsent());
                }
                if (serverConfirms ? sendUnsent() : replayBatch()) {
                    retryDelay = RETRY_MIN_MILLIS;
                    if (!serverConfirms && journal.isEmpty()) {
                        LOG.info("Journal replayed; live publishing resumes ({} replayed so far)", replayed.get());
                    }
                } else {
                    awaitRetry(retryDelay);
                    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MILLIS);
                }
            } catch (RuntimeException e) {
                LOG.error("Replay from the journal failed; retrying", e);
                awaitRetry(RETRY_MAX_MILLIS);
            }
        }
    }

    /** Sends up to a batch oldest-first; acknowledges what was delivered. True when the whole batch was. */
    private boolean replayBatch() {
        List<ForwardJournal.Entry> batch = journal.peek(REPLAY_BATCH);
        ForwardJournal.Entry lastDelivered = null;
        try {
            for (ForwardJournal.Entry entry : batch) {
                if (!running) {
                    return false;
                }
                JournalRecord record = JournalRecord.fromBytes(entry.bytes());
                Outcome outcome;
                sendLock.lock();
                try {
                    outcome = connection.send(record.topic(), record.payload());
                } finally {
                    sendLock.unlock();
                }
                if (outcome != Outcome.DELIVERED) {
                    if (outcome == Outcome.REFUSED) {
                        refused.incrementAndGet();
                    }
                    return false;
                }
                replayed.incrementAndGet();
                lastDelivered = entry;
            }
            return true;
        } finally {
            if (lastDelivered != null) {
                journal.acknowledge(lastDelivered);
            }
        }
    }

    /**
     * Sends up to a batch from the send cursor, each only if it is still the next to send (a live publish or a
     * rewind may have moved the cursor) and not yet acknowledged. True when the whole batch went out.
     */
    private boolean sendUnsent() {
        for (ForwardJournal.Entry entry : journal.peekUnsent(REPLAY_BATCH)) {
            if (!running) {
                return false;
            }
            JournalRecord record = JournalRecord.fromBytes(entry.bytes());
            boolean already = record.hasSeq() && window.isAcknowledged(record.seq());
            sendLock.lock();
            try {
                if (!journal.isNextToSend(entry.position())) {
                    return true;   // moved meanwhile: read again from the cursor
                }
                if (!already) {
                    Outcome outcome = connection.send(record.topic(), record.payload());
                    if (outcome != Outcome.DELIVERED) {
                        if (outcome == Outcome.REFUSED) {
                            refused.incrementAndGet();
                        }
                        return false;
                    }
                    replayed.incrementAndGet();
                    window.sent(record.seq());
                }
                journal.markSent(entry);
            } finally {
                sendLock.unlock();
            }
        }
        return true;
    }

    /** Backs off after a failed send; a new connection ends the wait early. */
    private void awaitRetry(long millis) {
        long generation = connections.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (running && connections.get() == generation) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            work.await(Math.min(left, IDLE_WAIT_MILLIS));
            journal.syncIfDue();
        }
    }
}
