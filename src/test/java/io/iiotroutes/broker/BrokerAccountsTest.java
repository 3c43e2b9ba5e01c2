package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerAccountsTest {

    @TempDir
    Path dir;

    @Test
    void loadsRolesAndHashesFromTheUsersFileAndChecksPasswords() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "# accounts\n"
                + "iiot-server = server:" + PasswordHash.hash("server-pw".toCharArray(), 1000) + "\n"
                + "node-1 = node:" + PasswordHash.hash("node-pw".toCharArray(), 1000) + "\n");

        BrokerAccounts accounts = BrokerAccounts.load(file, "plant");

        assertEquals(2, accounts.size());
        BrokerAccount node = accounts.authenticate("node-1", "node-pw".toCharArray()).orElseThrow();
        assertEquals(BrokerRole.NODE, node.role());
        assertEquals("plant", node.site());
        assertEquals(BrokerRole.SERVER, accounts.authenticate("iiot-server", "server-pw".toCharArray()).orElseThrow().role());
        assertTrue(accounts.authenticate("node-1", "server-pw".toCharArray()).isEmpty());
        assertTrue(accounts.authenticate("node-9", "node-pw".toCharArray()).isEmpty());
        assertTrue(accounts.authenticate(null, "node-pw".toCharArray()).isEmpty());
        assertTrue(accounts.authenticate("node-1", null).isEmpty());
    }

    @Test
    void refusesPlainPasswordsUnknownRolesAndWildcardUsernames() throws Exception {
        Path plain = dir.resolve("plain.properties");
        Files.writeString(plain, "node-1 = node:secret\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BrokerAccounts.load(plain, "plant"));
        assertTrue(error.getMessage().contains("node-1"), error.getMessage());
        assertFalse(error.getMessage().contains("secret"), "the file's value must not be echoed");

        Path role = dir.resolve("role.properties");
        Files.writeString(role, "node-1 = admin:" + PasswordHash.hash("x".toCharArray(), 1000) + "\n");
        assertThrows(IllegalArgumentException.class, () -> BrokerAccounts.load(role, "plant"));

        BrokerAccounts accounts = new BrokerAccounts("plant");
        assertThrows(IllegalArgumentException.class, () -> accounts.add("#", BrokerRole.NODE, "plant", "x".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> accounts.add("a/b", BrokerRole.NODE, "plant", "x".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> accounts.add("+", BrokerRole.NODE, "plant", "x".toCharArray()));
    }

    @Test
    void accountsAddedAtRuntimeLogInWithTheirPassword() {
        BrokerAccounts accounts = new BrokerAccounts("demo");
        char[] password = PasswordHash.randomPassword();
        accounts.add("node-2", BrokerRole.NODE, "other-site", password);

        BrokerAccount account = accounts.authenticate("node-2", password).orElseThrow();
        assertEquals("other-site", account.site());
        assertFalse(account.toString().contains(account.passwordHash()));
    }
}
