package io.iiotroutes.mqtt;

/**
 * An MQTT 5 subscription, shared or not: {@code $share/<group>/<filter>} hands each message to one member of the
 * group (several server replicas then store one share each), a plain filter hands every message to every
 * subscriber.
 *
 * @param group  the share group, empty when not shared
 * @param filter the topic filter
 */
public record SharedSubscription(String group, String filter) {

    private static final String PREFIX = "$share/";

    public static SharedSubscription parse(String subscription) {
        if (subscription == null || subscription.isBlank()) {
            throw new IllegalArgumentException("empty subscription");
        }
        if (!subscription.startsWith(PREFIX)) {
            return new SharedSubscription("", subscription);
        }
        int slash = subscription.indexOf('/', PREFIX.length());
        String group = slash < 0 ? "" : subscription.substring(PREFIX.length(), slash);
        String filter = slash < 0 ? "" : subscription.substring(slash + 1);
        if (group.isEmpty() || group.contains("+") || group.contains("#") || filter.isEmpty()) {
            throw new IllegalArgumentException("a shared subscription is $share/<group>/<topic filter>: " + subscription);
        }
        return new SharedSubscription(group, filter);
    }

    public boolean shared() {
        return !group.isEmpty();
    }
}
