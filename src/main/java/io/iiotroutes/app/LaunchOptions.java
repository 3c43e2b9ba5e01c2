package io.iiotroutes.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line: {@code <mode> [--key=value ...] [--help]}. Each {@code --key=value} overrides the property
 * {@code key} (e.g. {@code --iiot.web.port=8081}); it wins over environment variables and properties files.
 */
public record LaunchOptions(Mode mode, Map<String, String> overrides, boolean help) {

    public static LaunchOptions parse(String... args) {
        Mode mode = null;
        boolean help = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                help = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq < 3) {
                    throw new IllegalArgumentException("expected --key=value, got '" + arg + "'");
                }
                overrides.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (mode == null) {
                mode = Mode.parse(arg);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
        }
        if (mode == null && !help) {
            throw new IllegalArgumentException("no mode given");
        }
        return new LaunchOptions(mode, Map.copyOf(overrides), help);
    }

    public static String usage() {
        StringBuilder text = new StringBuilder("""
                Usage: java -jar target/iiot-routes.jar <mode> [--key=value ...]
                       java -jar target/iiot-routes.jar hash-password   (hash for the broker users file; reads stdin)

                Modes:
                """);
        for (Mode mode : Mode.values()) {
            text.append(String.format("  %-7s %s%n", mode.id(), mode.description()));
        }
        text.append("""

                Main settings (property, environment variable, default in demo):
                  iiot.site                 IIOT_SITE                  demo
                  iiot.data.dir             IIOT_DATA_DIR              data
                  iiot.mqtt.url             IIOT_MQTT_URL              (unset: start the embedded broker)
                  iiot.broker.port          IIOT_BROKER_PORT           1883  (embedded broker)
                  iiot.broker.users-file    IIOT_BROKER_USERS_FILE     (unset: only this process's own clients)
                  iiot.mqtt.username        IIOT_MQTT_USERNAME         (MQTT account; password: IIOT_MQTT_PASSWORD)
                  iiot.tsdb.url             IIOT_TSDB_URL              (unset: start the embedded TSDB)
                  iiot.tsdb.token           IIOT_TSDB_TOKEN            (InfluxDB 2 API token)
                  iiot.tsdb.org             IIOT_TSDB_ORG              iiot
                  iiot.tsdb.bucket          IIOT_TSDB_BUCKET           iiot
                  iiot.tsdb.http-port       IIOT_TSDB_HTTP_PORT        9000  (embedded TSDB console and write API)
                  iiot.web.host             IIOT_WEB_HOST              127.0.0.1
                  iiot.web.port             IIOT_WEB_PORT              8080
                  iiot.edge.nodes           IIOT_EDGE_NODES            config/nodes/node-1.yaml,config/nodes/node-2.yaml

                Any setting: --key=value on the command line, or the environment variable named by upper-casing
                the key and turning '.' and '-' into '_'. All settings: docs/configuration.md
                """);
        return text.toString();
    }
}
