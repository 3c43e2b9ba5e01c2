package io.iiotroutes.broker;

/**
 * One MQTT account of the embedded broker.
 *
 * @param username     the MQTT username; for a node, its node id
 * @param role         what it may do
 * @param site         the site a node publishes under
 * @param passwordHash a {@link PasswordHash} string, never the password
 */
public record BrokerAccount(String username, BrokerRole role, String site, String passwordHash) {

    @Override
    public String toString() {
        return "BrokerAccount[" + username + ", " + role.id() + ", site=" + site + "]";
    }
}
