package io.iiotroutes.edge.forward;

import java.nio.file.Path;

/** Child process of {@link JournalKillTest}: appends numbered records until it is killed. */
public final class JournalWriterProcess {

    private JournalWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        ForwardJournal journal = ForwardJournal.open(Path.of(args[0]), JournalSettings.defaults().withSegmentBytes(64 * 1024));
        for (long i = 0; ; i++) {
            journal.append(JournalKillTest.record(i));
            if (i % 100 == 0) {
                // only reported once append returned: everything up to i must survive the kill
                System.out.println(JournalKillTest.PROGRESS + i);
                System.out.flush();
            }
        }
    }

}
