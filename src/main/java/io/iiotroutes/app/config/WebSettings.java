package io.iiotroutes.app.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web port's settings ({@code iiot.web.*}; meanings in docs/configuration.md), read once per start.
 *
 * @param auth           {@code auto}, {@code token} or {@code none}
 * @param token          the operator token (environment only)
 * @param allowedOrigins other sites' origins allowed to call the API and open the WebSocket
 */
public record WebSettings(String host, int port, String staticFolder, String auth, Optional<String> token,
                          Duration session, Set<String> allowedOrigins, int liveMaxRateHz) {

    public static WebSettings from(Settings settings) {
        return new WebSettings(settings.string("iiot.web.host"), settings.integer("iiot.web.port"),
                settings.string("iiot.web.static-folder"), settings.string("iiot.web.auth").toLowerCase(Locale.ROOT),
                settings.optional("iiot.web.token"), Duration.ofHours(settings.number("iiot.web.session-hours")),
                Arrays.stream(settings.optional("iiot.web.allowed-origins").orElse("").split(","))
                        .map(String::trim).filter(origin -> !origin.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                settings.integer("iiot.web.live.max-rate-hz"));
    }

    @Override
    public String toString() {
        return "WebSettings[host=" + host + ", port=" + port + ", auth=" + auth + ", token="
                + (token.isPresent() ? "***" : "(none)") + ", allowedOrigins=" + allowedOrigins + "]";
    }
}
