package io.iiotroutes.it;

import java.util.List;
import java.util.Map;

/**
 * A TSDB of the benchmark, a process of its own that the benchmark starts, stops (fault step) and starts again on
 * the same data folder and port: InfluxDB 1.x ({@link BenchInfluxDb}) or QuestDB ({@link BenchQuestDb}).
 */
interface BenchTsdb extends AutoCloseable {

    String name();

    long pid();

    /**
     * Readies a fresh store for one system's run and returns its target (InfluxDB: a database of its own; QuestDB:
     * a fresh instance, with our schema for our server, none for Node-RED, whose writes create their table).
     */
    String prepare(String system, String broker) throws Exception;

    /** Our server's settings to write into the target. */
    List<String> ourServerArgs(String target);

    /** Node-RED: the node-red-contrib-influxdb config node (id "tsdb") writing into the target, as flow JSON. */
    String nodeRedConfigNode(String target);

    /** Node-RED: the extra properties of the "influxdb out" node for this TSDB, as JSON members (leading comma). */
    String nodeRedOutProperties(String target);

    /** Stored points of a site; -1 while the TSDB does not answer. */
    long count(String target, String site);

    /** Stored points of a site per node. */
    Map<String, Long> countByNode(String target, String site);

    /** The highest stored seq of one node of a site, 0 when none. */
    long lastSeq(String target, String site, String node);

    /** Stops the process (SIGTERM), keeping its data: the fault step's outage. */
    void stop();

    /** Starts it again on the same data folder and port. */
    void start() throws Exception;

    @Override
    default void close() {
        stop();
    }
}
