package io.iiotroutes.app.config;

import io.iiotroutes.broker.BrokerAccounts;
import io.iiotroutes.broker.BrokerRole;
import io.iiotroutes.broker.BrokerSecurity;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.broker.PasswordHash;
import io.iiotroutes.broker.TopicRules;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.mqtt.PacketSize;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The embedded MQTT broker (HiveMQ CE), started in server and demo mode when {@code iiot.mqtt.url} is unset, with
 * authentication and per-account topic rules: accounts from the users file ({@code iiot.broker.users-file}), plus
 * one made for this run for the process's own clients unless {@code iiot.mqtt.username} is set, and (demo) one per
 * simulated node ({@link #addNodeAccount}). Without a users file no other client can log in.
 */
public final class BrokerConfiguration implements IiotConfiguration {

    /** The account made on the embedded broker for the process's own server clients. */
    static final String RUNTIME_ACCOUNT = "iiot-runtime";

    /** The read-only account a demo makes so its user can watch the traffic (mosquitto_sub). */
    static final String VIEWER_ACCOUNT = "viewer";
    /** The node account a demo makes for a node of the user's own (config/nodes/lab-node.yaml). */
    static final String LAB_NODE_ACCOUNT = "lab-node";

    private final boolean demo;
    private EmbeddedMqttBroker broker;
    private String usersFile;
    private Path viewerPasswordFile;
    private Path labNodePasswordFile;

    /** @param demo a demo also makes a read-only viewer account, its password in {data}/mqtt-viewer-password */
    public BrokerConfiguration(boolean demo) {
        this.demo = demo;
    }

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        if (settings.optional("iiot.mqtt.url").isPresent()) {
            return;   // an external broker
        }
        String site = settings.string("iiot.site");
        usersFile = settings.optional("iiot.broker.users-file").orElse(null);
        BrokerAccounts accounts = usersFile != null ? BrokerAccounts.load(Path.of(usersFile), site) : new BrokerAccounts(site);
        if (settings.optional("iiot.mqtt.username").isEmpty()) {
            char[] password = PasswordHash.randomPassword();
            accounts.add(RUNTIME_ACCOUNT, BrokerRole.SERVER, site, password);
            settings.override("iiot.mqtt.username", RUNTIME_ACCOUNT);
            settings.override("iiot.mqtt.password", new String(password));
        }
        Path dataDir = Path.of(settings.string("iiot.data.dir"));
        if (demo) {
            char[] password = PasswordHash.randomPassword();
            accounts.add(VIEWER_ACCOUNT, BrokerRole.VIEWER, site, password);
            viewerPasswordFile = SecretFile.write(dataDir.resolve("mqtt-viewer-password"), new String(password));
            char[] nodePassword = PasswordHash.randomPassword();
            accounts.add(LAB_NODE_ACCOUNT, BrokerRole.NODE, site, nodePassword);
            labNodePasswordFile = SecretFile.write(dataDir.resolve("mqtt-lab-node-password"), new String(nodePassword));
        }
        TopicRules rules = new TopicRules(
                List.of(TopicContract.ROOT + "/#", settings.string("iiot.legacy.subscription")),
                // dead letters, alarm events and the nodes' active alarms (routes/alarms.camel.yaml), what the
                // replicas know of each stream (routes/replicas.camel.yaml) and acknowledgements (routes/acks.camel.yaml)
                List.of(settings.string("iiot.server.deadletter-topic"), TopicContract.filter("alarm"),
                        TopicContract.ACTIVE_ALARMS + "/+/+", TopicContract.COMPLETENESS + "/+/+", TopicContract.filter("ack")));
        BrokerSecurity security = new BrokerSecurity(accounts, rules, settings.flag("iiot.broker.allow-anonymous"));
        BrokerSettings brokerSettings = new BrokerSettings(settings.string("iiot.broker.host"),
                settings.integer("iiot.broker.port"), settings.flag("iiot.broker.persistent"),
                settings.number("iiot.broker.max-queued-messages"), settings.integer("iiot.broker.server-receive-maximum"))
                .withMaxPacketSize(PacketSize.forPayload(settings.integer("iiot.server.max-payload-bytes")));
        Optional<String> tlsPort = settings.optional("iiot.broker.tls.port");
        if (tlsPort.isPresent()) {
            String keystore = settings.optional("iiot.broker.tls.keystore").orElseThrow(() -> new IllegalArgumentException(
                    "iiot.broker.tls.port is set but iiot.broker.tls.keystore is not"));
            String password = settings.optional("iiot.broker.tls.keystore-password").orElseThrow(() ->
                    new IllegalArgumentException("iiot.broker.tls.port is set but no keystore password: set the environment variable "
                            + Settings.environmentName("iiot.broker.tls.keystore-password")));
            brokerSettings = brokerSettings.withTls(new BrokerSettings.TlsListener(Integer.parseInt(tlsPort.get()),
                    Path.of(keystore), password.toCharArray(), settings.flag("iiot.broker.tls.required")));
            if (settings.optional("iiot.mqtt.tls.truststore").isEmpty()) {
                // the process's own clients trust the embedded broker's certificate
                settings.override("iiot.mqtt.tls.truststore", keystore);
                settings.override("iiot.mqtt.tls.truststore-password", password);
            }
        }
        broker = new EmbeddedMqttBroker(dataDir.resolve("broker"), brokerSettings, security);
        broker.start();
        StopWithContext.register(context, "embedded MQTT broker", broker::stop);
        settings.override("iiot.mqtt.url", broker.getUrl());
    }

    public Optional<EmbeddedMqttBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /**
     * Demo: an account of its own on this process's broker for a simulated node, so the topic rules hold for it
     * too; empty when there is no embedded broker with security.
     */
    Optional<char[]> addNodeAccount(String node, String site) {
        if (broker == null || broker.security().isEmpty()) {
            return Optional.empty();
        }
        char[] password = PasswordHash.randomPassword();
        broker.security().get().accounts().add(node, BrokerRole.NODE, site, password);
        return Optional.of(password);
    }

    /**
     * The command that shows the demo's traffic with the read-only viewer account, for the banner; empty without a
     * viewer or when the broker listens on TLS only.
     */
    Optional<String> viewerCommand() {
        if (viewerPasswordFile == null || !broker.getUrl().startsWith("tcp://")) {
            return Optional.empty();
        }
        String hostPort = broker.getUrl().substring("tcp://".length());
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        return Optional.of("mosquitto_sub -h " + host + " -p " + port + " -u " + VIEWER_ACCOUNT + " -P \"$(cat "
                + viewerPasswordFile + ")\" -t '" + TopicContract.ROOT + "/#' -v");
    }

    /**
     * The command that joins a node of the user's own to the demo, as a separate edge process with the lab-node
     * account (password from its file, through the environment), for the banner; empty outside a demo.
     */
    Optional<String> labNodeCommand() {
        if (labNodePasswordFile == null || !broker.getUrl().startsWith("tcp://")) {
            return Optional.empty();
        }
        return Optional.of("IIOT_MQTT_PASSWORD=\"$(cat " + labNodePasswordFile + ")\" java -jar target/iiot-routes.jar edge"
                + " --iiot.mqtt.url=" + broker.getUrl() + " --iiot.mqtt.username=" + LAB_NODE_ACCOUNT
                + " --iiot.edge.nodes=config/nodes/lab-node.yaml --iiot.data.dir=" + labNodePasswordFile.getParent().resolve(LAB_NODE_ACCOUNT));
    }

    /** Who may connect, in words, for the banner. */
    String access(boolean runsEdge) {
        BrokerSecurity security = broker.security().orElseThrow();
        String who = usersFile != null
                ? "accounts of " + usersFile + ", topic rules per role"
                : runsEdge ? "accounts generated for this run (its nodes, its server, a read-only viewer, lab-node)"
                : "only this process's own clients (no iiot.broker.users-file: every node is refused)";
        String tls = broker.getTlsUrl().map(url -> "; TLS at " + url
                + (broker.getUrl().startsWith("ssl:") ? " (required: plain TCP off)" : "")).orElse("");
        return (security.allowsAnonymous() ? "ANONYMOUS CLIENTS ALLOWED (iiot.broker.allow-anonymous); " : "") + who + tls;
    }
}
