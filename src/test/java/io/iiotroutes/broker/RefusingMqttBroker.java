package io.iiotroutes.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only embedded HiveMQ, started like {@link EmbeddedMqttBroker} but with an embedded extension that can make
 * the broker refuse publishes on one topic: the PUBACK carries 0x87 (not authorized) and nothing is delivered.
 */
public class RefusingMqttBroker implements AutoCloseable {

    private final Path root;
    private final BrokerSettings settings;
    private final AtomicReference<String> refusedTopic = new AtomicReference<>();
    private EmbeddedHiveMQ hiveMq;

    public RefusingMqttBroker(Path root, BrokerSettings settings) {
        this.root = root;
        this.settings = settings;
    }

    /** From now on, publishes to {@code topic} are refused with NOT_AUTHORIZED; null accepts everything again. */
    public void refuse(String topic) {
        refusedTopic.set(topic);
    }

    public void start() throws Exception {
        Path conf = Files.createDirectories(root.resolve("conf"));
        Path data = Files.createDirectories(root.resolve("data"));
        Path extensions = Files.createDirectories(root.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), settings.toConfigXml());
        PublishInboundInterceptor interceptor = (input, output) -> {
            if (input.getPublishPacket().getTopic().equals(refusedTopic.get())) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "refused by the test");
            }
        };
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                Services.initializerRegistry().setClientInitializer(
                        (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
            }

            @Override
            public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            }
        };
        hiveMq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("refusing-test-extension")
                        .withName("Refusing test extension").withVersion("1").withAuthor("iiot-routes tests")
                        .withExtensionMain(main).build())
                .withoutLoggingBootstrap()
                .build();
        hiveMq.start().get(60, TimeUnit.SECONDS);
    }

    public String getUrl() {
        return "tcp://" + settings.bindAddress() + ":" + settings.port();
    }

    @Override
    public void close() throws Exception {
        if (hiveMq != null) {
            try {
                hiveMq.stop().get(60, TimeUnit.SECONDS);
            } finally {
                hiveMq.close();
                hiveMq = null;
            }
        }
    }

}
