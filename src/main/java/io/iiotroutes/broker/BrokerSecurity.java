package io.iiotroutes.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The embedded broker's authentication and authorization, as a HiveMQ embedded extension: every CONNECT needs a
 * username and password of {@link BrokerAccounts} (CONNACK 0x86 Bad user name or password, 0x87 Not authorized
 * without credentials), and each publish and subscription is checked against the {@link TopicRules} of the
 * client's account. A refused publish is dropped; HiveMQ answers a QoS 1/2 one with PUBACK/PUBREC 0x87 (Not
 * authorized) and then disconnects the client (DISCONNECT 0x87), as EMQX does in the compose stack
 * ({@code deny_action = disconnect}): the node notices and keeps the message in its journal. A refused
 * subscription gets SUBACK 0x87. The same rules are also the client's default permissions, which HiveMQ checks
 * for the last will at CONNECT.
 * <p>
 * {@code allowAnonymous} lets clients without credentials in with every permission (for tests and trusted labs;
 * off by default).
 */
public final class BrokerSecurity implements ExtensionMain {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
    private static final String ACCOUNT_ATTRIBUTE = "io.iiotroutes.account";

    private final BrokerAccounts accounts;
    private final TopicRules rules;
    private final boolean allowAnonymous;

    public BrokerSecurity(BrokerAccounts accounts, TopicRules rules, boolean allowAnonymous) {
        this.accounts = accounts;
        this.rules = rules;
        this.allowAnonymous = allowAnonymous;
    }

    public BrokerAccounts accounts() {
        return accounts;
    }

    public boolean allowsAnonymous() {
        return allowAnonymous;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) this::authenticate);
        TopicAuthorizer authorizer = new TopicAuthorizer();
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
    }

    /** The account a connection logged in with (kept in its connection attributes), empty for anonymous ones. */
    private Optional<BrokerAccount> accountOf(ClientBasedInput input) {
        return input.getConnectionInformation().getConnectionAttributeStore().getAsString(ACCOUNT_ATTRIBUTE)
                .flatMap(accounts::find);
    }

    private final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

        @Override
        public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
            String topic = input.getPublishPacket().getTopic();
            if (allows(input, TopicRules.Activity.PUBLISH, topic)) {
                output.authorizeSuccessfully();
            } else {
                output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
            }
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            String filter = withoutSharePrefix(input.getSubscription().getTopicFilter());
            if (allows(input, TopicRules.Activity.SUBSCRIBE, filter)) {
                output.authorizeSuccessfully();
            } else {
                output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
            }
        }

        /** Whether the connection's account (or an anonymous client, when allowed) may do this; a refusal is logged. */
        private boolean allows(ClientBasedInput input, TopicRules.Activity activity, String topic) {
            Optional<BrokerAccount> account = accountOf(input);
            if (account.isEmpty() ? allowAnonymous : rules.allows(account.get(), activity, topic)) {
                return true;
            }
            LOG.warn("MQTT client '{}' (user '{}') may not {} '{}': refused", input.getClientInformation().getClientId(),
                    account.map(BrokerAccount::username).orElse(""),
                    activity == TopicRules.Activity.PUBLISH ? "publish to" : "subscribe to", topic);
            return false;
        }
    }

    /** {@code $share/<group>/<filter>} is checked as {@code <filter>}. */
    static String withoutSharePrefix(String filter) {
        if (filter.startsWith("$share/")) {
            int groupEnd = filter.indexOf('/', "$share/".length());
            return groupEnd < 0 ? filter : filter.substring(groupEnd + 1);
        }
        return filter;
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // nothing to release: the registry goes with the broker
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        Optional<String> username = connect.getUserName();
        Optional<ByteBuffer> password = connect.getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            if (allowAnonymous) {
                output.authenticateSuccessfully(); // no default permissions: everything allowed
                return;
            }
            LOG.warn("MQTT client '{}' refused: no username/password", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "username and password required");
            return;
        }
        char[] secret = decode(password.get());
        try {
            Optional<BrokerAccount> account = secret == null ? Optional.empty()
                    : accounts.authenticate(username.get(), secret);
            if (account.isEmpty()) {
                LOG.warn("MQTT client '{}' refused: wrong username or password (user '{}')", clientId, username.get());
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
                return;
            }
            ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
            for (TopicRules.Rule rule : rules.rulesFor(account.get())) {
                permissions.add(Builders.topicPermission()
                        .topicFilter(rule.topicFilter())
                        .activity(rule.activity() == TopicRules.Activity.PUBLISH
                                ? TopicPermission.MqttActivity.PUBLISH : TopicPermission.MqttActivity.SUBSCRIBE)
                        .type(TopicPermission.PermissionType.ALLOW)
                        .build());
            }
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            input.getConnectionInformation().getConnectionAttributeStore()
                    .putAsString(ACCOUNT_ATTRIBUTE, account.get().username());
            output.authenticateSuccessfully();
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    private static char[] decode(ByteBuffer password) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(password.asReadOnlyBuffer());
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            return secret;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
