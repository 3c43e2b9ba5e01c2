package io.iiotroutes.server;

import io.iiotroutes.tsdb.Lines;
import io.iiotroutes.tsdb.TsdbUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Writes the points of many messages in one TSDB write, and tells each message when <em>its</em> points are
 * committed (docs/delivery.md, "Batched writes").
 * <p>
 * {@link #write(Lines)} queues a message's points and returns a future that completes once the write holding
 * them has been committed, or fails with that write's error; the route acknowledges the MQTT message only then.
 * One writer thread takes whatever is queued when it is free (up to {@code maxPoints}) and writes it in one
 * request: a busy server writes bigger batches by itself. A quiet one would write every message alone, and each
 * request costs far more CPU (client, HTTP, TSDB) than its points; so a batch also waits up to {@code linger}
 * after its first message was queued for more to come (0: write at once).
 * The futures are completed, in order, on a second thread, so the rest of each message's route (broadcast,
 * counters, acknowledgement) runs there while the writer already writes the next batch.
 * At most {@code maxMessages} messages wait or are being written; beyond that {@link #write(Lines)} blocks the
 * caller (the MQTT client's callback thread), so the broker keeps the rest.
 * <p>
 * When the TSDB refuses a batch for its content ({@code refusal}), one bad point would take the good ones with
 * it: the messages of that batch are then written one by one, so only the bad message fails (and is
 * dead-lettered by the route). Any other failure (TSDB down, timeout) fails every message of the batch, to be
 * retried by the route's error handler.
 */
public final class WriteBatcher implements AutoCloseable {

    /** The synchronous TSDB write: returns once the TSDB committed the points, throws otherwise. */
    @FunctionalInterface
    public interface Writer {
        void write(Lines lines) throws Exception;
    }

    private record Pending(Lines lines, CompletableFuture<Void> done, long queuedNanos) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WriteBatcher.class);

    private final int maxPoints;
    private final long lingerNanos;
    private final Semaphore room;
    private final Predicate<Throwable> refusal;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ExecutorService completer = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "tsdb-write-completer");
        t.setDaemon(true);
        return t;
    });
    private volatile Writer writer;
    private volatile boolean running = true;

    /**
     * @param maxPoints   most points in one write (a single message with more is written alone)
     * @param maxMessages most messages queued or being written at once
     * @param refusal     whether a write error means the TSDB refused the content (as opposed to being unavailable)
     */
    public WriteBatcher(int maxPoints, int maxMessages, Predicate<Throwable> refusal) {
        this(maxPoints, maxMessages, 0, refusal);
    }

    /**
     * @param lingerMillis how long a batch waits, from its first message's arrival, for more messages (0: not at all)
     */
    public WriteBatcher(int maxPoints, int maxMessages, long lingerMillis, Predicate<Throwable> refusal) {
        if (maxPoints < 1 || maxMessages < 1 || lingerMillis < 0) {
            throw new IllegalArgumentException("maxPoints and maxMessages must be at least 1, lingerMillis at least 0");
        }
        this.maxPoints = maxPoints;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        this.room = new Semaphore(maxMessages);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
        this.thread = new Thread(this::run, "tsdb-write-batcher");
        this.thread.setDaemon(true);
    }

    /** Sets the writer and starts writing; separate from the constructor because the writer exists later. */
    public synchronized void start(Writer tsdbWriter) {
        this.writer = Objects.requireNonNull(tsdbWriter, "writer");
        if (!thread.isAlive()) {
            thread.start();
        }
    }

    /** Queues a message's points; the future completes when they are committed. Blocks while the queue is full. */
    public CompletableFuture<Void> write(Lines lines) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new TsdbUnavailableException("TSDB writer is stopped"));
            return done;
        }
        room.acquire();
        done.whenComplete((ok, error) -> room.release());
        queue.add(new Pending(Objects.requireNonNull(lines, "lines"), done, System.nanoTime()));
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        Pending carried = null;   // taken while filling a batch it did not fit in: first of the next one
        while (running || carried != null || !queue.isEmpty()) {
            try {
                Pending first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int points = first.lines().points();
                long deadline = first.queuedNanos() + lingerNanos;
                while (points < maxPoints) {
                    Pending next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || !running || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    }
                    if (points + next.lines().points() > maxPoints) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    points += next.lines().points();
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));   // never leave a message hanging
            } finally {
                batch.clear();
            }
        }
        if (carried != null) {
            carried.done().completeExceptionally(new TsdbUnavailableException("TSDB writer stopped before this write"));
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new TsdbUnavailableException("TSDB writer stopped before this write"));
        }
    }

    private void writeBatch(List<Pending> batch) {
        List<Lines> all = new ArrayList<>(batch.size());
        batch.forEach(p -> all.add(p.lines()));
        try {
            writer.write(Lines.join(all));
        } catch (Exception e) {
            if (batch.size() > 1 && refusal.test(e)) {
                LOG.debug("TSDB refused a batch of {} messages ({}): writing them one by one", batch.size(), e.getMessage());
                batch.forEach(this::writeAlone);
            } else {
                complete(batch, e);
            }
            return;
        }
        complete(batch, null);
    }

    private void writeAlone(Pending pending) {
        try {
            writer.write(pending.lines());
            complete(List.of(pending), null);
        } catch (Exception e) {
            complete(List.of(pending), e);
        }
    }

    private void complete(List<Pending> batch, Exception error) {
        List<Pending> done = List.copyOf(batch);
        completer.execute(() -> done.forEach(p -> {
            if (error == null) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(error);
            }
        }));
    }

    /** Writes what is queued, then stops; called after the routes have stopped. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            thread.join(30_000);
        }
        completer.shutdown();
        completer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
