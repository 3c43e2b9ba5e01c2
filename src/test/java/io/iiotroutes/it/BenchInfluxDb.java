package io.iiotroutes.it;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Debian's InfluxDB 1.x as a TSDB of the benchmark: one database per system and broker, a fixed port. */
final class BenchInfluxDb implements BenchTsdb {

    private final InfluxDb1 influx;

    BenchInfluxDb(Path dir) throws Exception {
        influx = new InfluxDb1(BenchProc.fresh(dir), TestPorts.free());
        influx.start();
    }

    @Override
    public String name() {
        return "influxdb";
    }

    @Override
    public long pid() {
        return influx.pid();
    }

    @Override
    public String prepare(String system, String broker) {
        String database = (system + "_" + broker).replace('-', '_');
        influx.createDatabase(database);
        return database;
    }

    @Override
    public List<String> ourServerArgs(String target) {
        return List.of("--iiot.tsdb.api=v1", "--iiot.tsdb.url=" + influx.url(), "--iiot.tsdb.database=" + target);
    }

    @Override
    public String nodeRedConfigNode(String target) {
        URI url = URI.create(influx.url());
        return """
                {"id":"tsdb","type":"influxdb","hostname":"%s","port":"%d","protocol":"http","database":"%s","name":"bench",
                 "usetls":false,"influxdbVersion":"1.x"}""".formatted(url.getHost(), url.getPort(), target);
    }

    @Override
    public String nodeRedOutProperties(String target) {
        return ",\"precision\":\"ms\",\"retentionPolicy\":\"\"";
    }

    @Override
    public long count(String target, String site) {
        try {
            return influx.count(target, "SELECT count(value) FROM reading WHERE site = " + quoted(site));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public Map<String, Long> countByNode(String target, String site) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map<String, Object> row : influx.rows(target, "SELECT count(value) FROM reading WHERE site = " + quoted(site) + " GROUP BY node")) {
            counts.put((String) row.get("node"), ((Number) row.get("count")).longValue());
        }
        return counts;
    }

    @Override
    public long lastSeq(String target, String site, String node) {
        List<Map<String, Object>> rows = influx.rows(target,
                "SELECT last(seq) FROM reading WHERE site = " + quoted(site) + " AND node = " + quoted(node));
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("last")).longValue();
    }

    @Override
    public void stop() {
        influx.stop();
    }

    @Override
    public void start() throws Exception {
        influx.start();
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
