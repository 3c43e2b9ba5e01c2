package io.iiotroutes.edge.forward;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/** Messages and settings shared by the publisher tests. */
final class TestMessages {

    static final String SITE = "plant1";
    static final String NODE = "edge1";

    private TestMessages() {
    }

    static NodeMessage message(long seq) {
        return NodeMessage.live(SITE, NODE, seq, 1_700_000_000_000L + seq,
                List.of(Reading.good("ai1", seq * 0.5, "bar", seq)));
    }

    /** Short timeouts so that outages are noticed within a test's time budget. */
    static PublisherSettings settings(String brokerUrl, Path journalDir) {
        // no server here: these tests are about the broker leg, so the PUBACK confirms
        return PublisherSettings.of(brokerUrl, "forward-" + NODE, SITE, NODE, journalDir).withTimeouts(5, 5)
                .withConfirmation(Confirmation.BROKER, PublisherSettings.DEFAULT_RESEND_AFTER_MILLIS);
    }

    static List<Long> seqs(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }
}
