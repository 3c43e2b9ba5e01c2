package io.iiotroutes.app.config;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The application's settings as the configurations read them: typed, trimmed, a blank value counting as unset.
 * Every key has its default in the properties files (iiot-common.properties, iiot-&lt;mode&gt;.properties) and
 * nowhere else; a required key that is missing names both ways to set it. Java defaults exist only for what is not
 * a setting or for callers outside the application: a node file's optional fields, the edge library's
 * {@code PublisherSettings.of} and {@code JournalSettings.defaults()} (tests, tools), {@code MqttTimeouts}.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static Settings of(CamelContext context) {
        return new Settings(context.getPropertiesComponent());
    }

    public String string(String key) {
        return required(properties, key);
    }

    public Optional<String> optional(String key) {
        return optional(properties, key);
    }

    public int integer(String key) {
        return Integer.parseInt(string(key));
    }

    public long number(String key) {
        return Long.parseLong(string(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(string(key));
    }

    public Duration seconds(String key) {
        return Duration.ofSeconds(number(key));
    }

    /** A setting of a fixed set of words, as its enum constant (drop-oldest → DROP_OLDEST). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return Enum.valueOf(type, string(key).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Sets a value for the rest of the run (what the application itself decided, e.g. an embedded server's URL). */
    public void override(String key, String value) {
        properties.addOverrideProperty(key, value);
    }

    public PropertiesComponent properties() {
        return properties;
    }

    public static String required(PropertiesComponent properties, String key) {
        return optional(properties, key).orElseThrow(() -> new IllegalArgumentException(
                "missing setting '" + key + "' (property " + key + " or environment variable "
                        + environmentName(key) + ")"));
    }

    public static Optional<String> optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The environment variable of a key: IIOT_WEB_PORT for iiot.web.port. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
