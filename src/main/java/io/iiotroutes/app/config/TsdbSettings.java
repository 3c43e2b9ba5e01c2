package io.iiotroutes.app.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The TSDB's settings ({@code iiot.tsdb.*}; meanings in docs/configuration.md), read once per start.
 *
 * @param url   unset in server and demo mode: the embedded QuestDB's, once it runs
 * @param v1    {@code iiot.tsdb.api=v1}: the InfluxDB 1.x write path ({@link TsdbV1Setup})
 * @param query the history query language, {@code auto} resolved: {@code sql} or {@code influxql}
 */
public record TsdbSettings(Optional<String> url, Optional<String> token, String org, String bucket, String host,
                           int httpPort, int pgPort, boolean v1, String database, Optional<String> retentionPolicy,
                           Optional<String> username, Optional<String> password, String query) {

    public static TsdbSettings from(Settings settings) {
        boolean v1 = v1(settings.string("iiot.tsdb.api"));
        return new TsdbSettings(settings.optional("iiot.tsdb.url"), settings.optional("iiot.tsdb.token"),
                settings.string("iiot.tsdb.org"), settings.string("iiot.tsdb.bucket"), settings.string("iiot.tsdb.host"),
                settings.integer("iiot.tsdb.http-port"), settings.integer("iiot.tsdb.pg-port"), v1,
                settings.string("iiot.tsdb.database"), settings.optional("iiot.tsdb.retention-policy"),
                settings.optional("iiot.tsdb.username"), settings.optional("iiot.tsdb.password"),
                query(settings.string("iiot.tsdb.query"), v1));
    }

    /** True for the v1 write path; fails on an unknown value. */
    private static boolean v1(String api) {
        return switch (api.toLowerCase(Locale.ROOT)) {
            case "v1" -> true;
            case "v2" -> false;
            default -> throw new IllegalArgumentException("unknown " + TsdbV1Setup.API_KEY + " '" + api
                    + "': use v2 (InfluxDB 2.x/3.x, QuestDB) or v1 (InfluxDB 1.x)");
        };
    }

    /** SQL for QuestDB, InfluxQL for InfluxDB (1.x, or 2.x through its v1 compatibility API). */
    private static String query(String setting, boolean v1) {
        String language = setting.toLowerCase(Locale.ROOT);
        return switch (language) {
            case "auto" -> v1 ? "influxql" : "sql";
            case "sql", "influxql" -> language;
            default -> throw new IllegalArgumentException("unknown iiot.tsdb.query '" + language
                    + "': use auto, sql (QuestDB) or influxql (InfluxDB)");
        };
    }

    TsdbSettings withUrl(String embeddedUrl) {
        return new TsdbSettings(Optional.of(embeddedUrl), token, org, bucket, host, httpPort, pgPort, v1, database,
                retentionPolicy, username, password, query);
    }

    /** The URL the clients use: the configured one, or the embedded QuestDB's once it runs. */
    public String tsdbUrl() {
        return url.orElseThrow(() -> new IllegalArgumentException("missing setting 'iiot.tsdb.url'"));
    }

    @Override
    public String toString() {
        return "TsdbSettings[url=" + url.orElse("(embedded)") + ", v1=" + v1 + ", query=" + query + ", token="
                + (token.isPresent() ? "***" : "(none)") + ", password=" + (password.isPresent() ? "***" : "(none)") + "]";
    }
}
