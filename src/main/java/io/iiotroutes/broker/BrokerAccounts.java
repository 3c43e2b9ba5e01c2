package io.iiotroutes.broker;

import io.iiotroutes.model.TopicContract;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded broker's MQTT accounts: those of the users file ({@code iiot.broker.users-file}, kept outside the
 * repository) plus those the runtime creates for itself in memory (its own server clients, the demo's nodes).
 * <p>
 * Users file: a properties file, one account a line, {@code <username> = <role>:<password hash>}, e.g.
 * {@code node-1 = node:pbkdf2-sha256:210000:...}; hashes come from {@code iiot-routes hash-password}. A node's
 * username is its node id and it publishes under the broker's site.
 */
public final class BrokerAccounts {

    private final String site;
    private final Map<String, BrokerAccount> accounts = new ConcurrentHashMap<>();

    public BrokerAccounts(String site) {
        if (!TopicContract.isValidId(site)) {
            throw new IllegalArgumentException("invalid site id '" + site + "'");
        }
        this.site = site;
    }

    /** Reads a users file; a malformed line stops the start with its line's username (never its hash). */
    public static BrokerAccounts load(Path usersFile, String site) {
        BrokerAccounts loaded = new BrokerAccounts(site);
        Properties lines = new Properties();
        try (Reader reader = Files.newBufferedReader(usersFile, StandardCharsets.UTF_8)) {
            lines.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the broker users file " + usersFile + ": " + e.getMessage(), e);
        }
        for (String username : lines.stringPropertyNames()) {
            String value = lines.getProperty(username).trim();
            int colon = value.indexOf(':');
            if (colon < 0 || !PasswordHash.isWellFormed(value.substring(colon + 1))) {
                throw new IllegalArgumentException("broker users file " + usersFile + ": account '" + username
                        + "' needs <role>:<hash from 'hash-password'>");
            }
            loaded.put(username, BrokerRole.parse(value.substring(0, colon)), site, value.substring(colon + 1));
        }
        return loaded;
    }

    /** Adds (or replaces) an account with this password, hashed at once. */
    public void add(String username, BrokerRole role, String accountSite, char[] password) {
        // accounts the runtime makes for itself are checked at every connect too: fewer iterations, random passwords
        put(username, role, accountSite, PasswordHash.hash(password, 10_000));
    }

    private void put(String username, BrokerRole role, String accountSite, String hash) {
        if (!TopicContract.isValidId(username)) {
            // the username becomes a topic level for nodes: '+', '#' or '/' would widen the ACL
            throw new IllegalArgumentException("invalid MQTT username '" + username + "' (must match "
                    + TopicContract.ID_PATTERN + ")");
        }
        if (!TopicContract.isValidId(accountSite)) {
            throw new IllegalArgumentException("invalid site id '" + accountSite + "' for account " + username);
        }
        accounts.put(username, new BrokerAccount(username, role, accountSite, hash));
    }

    /** The account when the username exists and the password matches it. */
    public Optional<BrokerAccount> authenticate(String username, char[] password) {
        BrokerAccount account = username == null ? null : accounts.get(username);
        if (account == null || password == null || !PasswordHash.matches(password, account.passwordHash())) {
            return Optional.empty();
        }
        return Optional.of(account);
    }

    /** The account of this username (no password check: for a connection that already logged in). */
    public Optional<BrokerAccount> find(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    public int size() {
        return accounts.size();
    }

    public String site() {
        return site;
    }
}
