package io.iiotroutes.edge.forward;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * A publisher's subscription to its own acknowledgement topic, made on every connect (clean start keeps none). Until
 * the broker has answered it on the current connection the connection does not count as ready, so nothing is sent
 * whose acknowledgement could not arrive. A refusal (an ACL without the topic) is said loudly and reported.
 */
final class AckSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(AckSubscription.class);

    private final String topic;
    private final Consumer<byte[]> consumer;
    private volatile boolean answered;
    private volatile boolean refused;

    AckSubscription(String topic, Consumer<byte[]> consumer) {
        this.topic = topic;
        this.consumer = consumer;
    }

    /** The broker has answered the subscription on the current connection. */
    boolean ready() {
        return answered;
    }

    /** The broker refused it: nothing can confirm what is sent. */
    boolean refused() {
        return refused;
    }

    /** The connection is gone; the next one subscribes again. */
    void lost() {
        answered = false;
    }

    /** Subscribes (QoS 1); {@code then} runs once the broker answered, refused, or the call failed. */
    void subscribe(MqttAsyncClient client, Runnable then) {
        answered = false;
        try {
            client.subscribe(new MqttSubscription[]{new MqttSubscription(topic, 1)}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int code = BrokerConnection.reasonCode(token);
                    answer(code >= 0x80);
                    if (refused) {
                        LOG.warn("Broker refused the subscription to {} with reason code 0x{} ({}): no acknowledgement "
                                + "can arrive, so journal entries are sent again and again until the broker allows it "
                                + "or the node is set to confirmedBy: broker", topic, Integer.toHexString(code),
                                ReasonCodes.describe(code));
                    }
                    then.run();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    answer(token != null && BrokerConnection.reasonCode(token) >= 0x80);
                    LOG.warn("Subscription to {} failed: {}", topic, exception == null ? "refused" : exception.getMessage());
                    then.run();
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("Cannot subscribe to {}: {}", topic, e.getMessage());
            answer(true);
            then.run();
        }
    }

    /** Hands an arrived acknowledgement to the consumer; false when the message was for another topic. Never throws. */
    boolean deliver(String arrivedOn, MqttMessage message) {
        if (!arrivedOn.equals(topic)) {
            return false;
        }
        try {
            consumer.accept(message.getPayload());
        } catch (RuntimeException e) {
            // an exception here would make Paho drop the connection
            LOG.warn("Acknowledgement on {} not taken: {}", topic, e.toString());
        }
        return true;
    }

    private void answer(boolean refusedNow) {
        refused = refusedNow;
        answered = true;
    }
}
