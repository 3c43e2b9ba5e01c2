package io.iiotroutes.broker;

import io.iiotroutes.model.TopicContract;
import io.iiotroutes.sparkplug.SparkplugTopics;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may publish and subscribe where, the same rules as the EMQX ACL of the compose stack
 * (compose/emqx/acl.conf.template): a node publishes only its data and its retained status / last will
 * ({@code iiot/v1/<site>/<its username>/data}, {@code .../status}) and subscribes only to its own acknowledgements
 * ({@code iiot/v1/<site>/<its username>/ack}); the server subscribes to the nodes' topics and
 * publishes only its dead letters, alarm events, the nodes' active alarms and its acknowledgements; a viewer subscribes to {@code iiot/v1/#} and publishes nothing.
 * In the Sparkplug B namespace ({@link SparkplugTopics}) a node, its site as group id, publishes only its own
 * {@code spBv1.0/{site}/NBIRTH|NDATA|NDEATH/{id}} and {@code .../DBIRTH|DDATA|DDEATH/{id}/+} and reads its commands,
 * its own death and the hosts' STATE; the server (host application) reads the namespace and publishes its STATE and
 * NCMD rebirth requests; a viewer reads it too.
 * Whatever no rule allows is refused.
 *
 * @param serverSubscriptions topic filters the server may subscribe to (shared subscriptions of them included)
 * @param serverPublications  topic filters the server may publish to
 */
public record TopicRules(List<String> serverSubscriptions, List<String> serverPublications) {

    public enum Activity { PUBLISH, SUBSCRIBE }

    /** One allowed (activity, topic filter) pair. */
    public record Rule(Activity activity, String topicFilter) {
    }

    public TopicRules {
        serverSubscriptions = List.copyOf(serverSubscriptions);
        serverPublications = List.copyOf(serverPublications);
    }

    public List<Rule> rulesFor(BrokerAccount account) {
        List<Rule> rules = new ArrayList<>();
        switch (account.role()) {
            case NODE -> {
                // its data and its retained status (birth, last will); not the server's topics under its name
                // (acknowledgements, alarm events), which the server and other readers trust
                rules.add(new Rule(Activity.PUBLISH, TopicContract.dataTopic(account.site(), account.username())));
                rules.add(new Rule(Activity.PUBLISH, TopicContract.statusTopic(account.site(), account.username())));
                // the server's acknowledgements of what it stored of this node, and nobody else's
                rules.add(new Rule(Activity.SUBSCRIBE, TopicContract.ackTopic(account.site(), account.username())));
                // Sparkplug B, its site as group: its own N*/{id} and D*/{id}/+ topics; its commands, its own
                // death and the hosts' STATE (a node with protocol sparkplug-b, or a third-party Sparkplug node)
                if (TopicContract.isValidId(account.site()) && TopicContract.isValidId(account.username())) {
                    SparkplugTopics.nodePublications(account.site(), account.username())
                            .forEach(filter -> rules.add(new Rule(Activity.PUBLISH, filter)));
                    SparkplugTopics.nodeSubscriptions(account.site(), account.username())
                            .forEach(filter -> rules.add(new Rule(Activity.SUBSCRIBE, filter)));
                }
            }
            case SERVER -> {
                serverSubscriptions.forEach(filter -> rules.add(new Rule(Activity.SUBSCRIBE, filter)));
                serverPublications.forEach(filter -> rules.add(new Rule(Activity.PUBLISH, filter)));
                // the Sparkplug host application: the namespace; its STATE and rebirth requests (NCMD)
                rules.add(new Rule(Activity.SUBSCRIBE, SparkplugTopics.NAMESPACE + "/#"));
                SparkplugTopics.hostPublications().forEach(filter -> rules.add(new Rule(Activity.PUBLISH, filter)));
            }
            case VIEWER -> {
                rules.add(new Rule(Activity.SUBSCRIBE, TopicContract.ROOT + "/#"));
                rules.add(new Rule(Activity.SUBSCRIBE, SparkplugTopics.NAMESPACE + "/#"));
            }
        }
        return rules;
    }

    /** Whether {@code account} may do {@code activity} on {@code topic} (a topic name, or a filter to subscribe). */
    public boolean allows(BrokerAccount account, Activity activity, String topic) {
        return rulesFor(account).stream()
                .anyMatch(rule -> rule.activity() == activity && covers(rule.topicFilter(), topic));
    }

    /** MQTT matching of a rule's filter against a topic or a subscription filter (which must be no wider). */
    static boolean covers(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (f[i].equals("+")) {
                if (t[i].equals("#")) {
                    return false;
                }
                continue;
            }
            if (!f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
