package io.iiotroutes.server;

import io.iiotroutes.tsdb.LineProtocol;
import io.iiotroutes.tsdb.Lines;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.iiotroutes.tsdb.TsdbRefusedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBatcherTest {

    private final List<List<String>> writes = new CopyOnWriteArrayList<>();
    private WriteBatcher batcher;

    @AfterEach
    void close() throws Exception {
        batcher.close();
    }

    private static Lines message(String id, int points) {
        LineProtocol lines = new LineProtocol();
        for (int i = 0; i < points; i++) {
            lines.measurement("reading").tag("id", id).integerField("value", (long) i).end(1000L + i);
        }
        return lines.lines();
    }

    private static List<String> ids(Lines lines) {
        assertEquals(lines.points(), lines.text().split("\n").length, "one line per point");
        return Arrays.stream(lines.text().split("\n")).map(line -> line.split("[ ,=]")[2]).distinct().toList();
    }

    @Test
    void messagesQueuedDuringAWriteGoOutTogetherAndEachCompletesAfterItsWrite() throws Exception {
        CountDownLatch firstWriteRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        batcher = new WriteBatcher(100, 100, TsdbRefusals::isRefusal);
        batcher.start(points -> {
            writes.add(ids(points));
            if (writes.size() == 1) {
                firstWriteRunning.countDown();
                releaseFirstWrite.await(5, TimeUnit.SECONDS);
            }
        });
        CompletableFuture<Void> a = batcher.write(message("a", 3));
        assertTrue(firstWriteRunning.await(5, TimeUnit.SECONDS));
        CompletableFuture<Void> b = batcher.write(message("b", 3));
        CompletableFuture<Void> c = batcher.write(message("c", 3));
        assertFalse(a.isDone(), "not acknowledged before its write is committed");
        releaseFirstWrite.countDown();
        CompletableFuture.allOf(a, b, c).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a"), List.of("b", "c")), writes);
    }

    @Test
    void aBatchNeverExceedsMaxPoints() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        batcher = new WriteBatcher(5, 100, TsdbRefusals::isRefusal);
        batcher.start(points -> {
            writes.add(ids(points));
            firstRunning.countDown();
            hold.await(5, TimeUnit.SECONDS);
        });
        CompletableFuture<Void> first = batcher.write(message("x", 1));
        assertTrue(firstRunning.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<Void>> rest = List.of(batcher.write(message("a", 2)), batcher.write(message("b", 2)),
                batcher.write(message("c", 2)));
        hold.countDown();
        first.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("x"), List.of("a", "b"), List.of("c")), writes);
    }

    @Test
    void aRefusedBatchIsWrittenMessageByMessageSoOnlyTheBadMessageFails() throws Exception {
        CountDownLatch warmUpRunning = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        batcher = new WriteBatcher(100, 100, TsdbRefusals::isRefusal);
        batcher.start(points -> {
            List<String> ids = ids(points);
            writes.add(ids);
            if (ids.equals(List.of("warm-up"))) {
                warmUpRunning.countDown();
                hold.await(5, TimeUnit.SECONDS);
            }
            if (ids.contains("bad")) {
                throw new TsdbRefusedException("field type conflict", null);
            }
        });
        CompletableFuture<Void> warmUp = batcher.write(message("warm-up", 1));
        assertTrue(warmUpRunning.await(5, TimeUnit.SECONDS));
        CompletableFuture<Void> good1 = batcher.write(message("good1", 1));
        CompletableFuture<Void> bad = batcher.write(message("bad", 1));
        CompletableFuture<Void> good2 = batcher.write(message("good2", 1));
        hold.countDown();
        warmUp.get(5, TimeUnit.SECONDS);
        good1.get(5, TimeUnit.SECONDS);
        good2.get(5, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TsdbRefusedException.class, e.getCause());
        assertEquals(List.of(List.of("warm-up"), List.of("good1", "bad", "good2"), List.of("good1"), List.of("bad"),
                List.of("good2")), writes);
    }

    @Test
    void anUnavailableTsdbFailsEveryMessageOfTheBatchForRetry() throws Exception {
        batcher = new WriteBatcher(100, 100, TsdbRefusals::isRefusal);
        batcher.start(points -> {
            throw new IOException("connection refused");
        });
        CompletableFuture<Void> a = batcher.write(message("a", 1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> a.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void writeBlocksWhileMaxMessagesAreInFlight() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        batcher = new WriteBatcher(100, 2, TsdbRefusals::isRefusal);
        batcher.start(points -> hold.await(5, TimeUnit.SECONDS));
        batcher.write(message("a", 1));
        batcher.write(message("b", 1));
        CompletableFuture<CompletableFuture<Void>> third = CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.write(message("c", 1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        hold.countDown();
        third.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aQuietServerLingersForMoreMessagesAndAnOverflowingOneStartsTheNextBatch() throws Exception {
        batcher = new WriteBatcher(5, 100, 60_000, TsdbRefusals::isRefusal);
        batcher.start(points -> writes.add(ids(points)));
        CompletableFuture<Void> a = batcher.write(message("a", 2));
        CompletableFuture<Void> b = batcher.write(message("b", 2));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> writes.isEmpty());
        CompletableFuture<Void> c = batcher.write(message("c", 2));   // would make 6 > 5 points: a batch of its own
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a", "b")), writes);
        CompletableFuture<Void> d = batcher.write(message("d", 3));   // fills c's batch to 5: written at once
        CompletableFuture.allOf(c, d).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), writes);
    }

    @Test
    void aLingeringBatchIsWrittenWhenItsTimeIsUp() throws Exception {
        batcher = new WriteBatcher(100, 100, 50, TsdbRefusals::isRefusal);
        batcher.start(points -> writes.add(ids(points)));
        long start = System.nanoTime();
        batcher.write(message("a", 1)).get(5, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 50 && tookMillis < 2_000, "waited its linger, not longer: " + tookMillis + " ms");
        assertEquals(List.of(List.of("a")), writes);
    }
}
