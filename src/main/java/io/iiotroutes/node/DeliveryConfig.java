package io.iiotroutes.node;

/**
 * How the node's edge publisher decides a message is delivered (docs/delivery.md, end-to-end acknowledgements).
 *
 * @param confirmedBy  {@value #SERVER} (default): a journal entry is kept until the server acknowledges that the TSDB
 *                     holds it; {@value #BROKER}: until the broker's PUBACK (for servers that do not acknowledge)
 * @param resendAfterS with {@value #SERVER}: seconds without an acknowledgement after which what waits is sent
 *                     again (default 30; the wait doubles up to 300 s while nothing is acknowledged)
 */
public record DeliveryConfig(String confirmedBy, Integer resendAfterS) {

    public static final String SERVER = "server";
    public static final String BROKER = "broker";
    public static final int DEFAULT_RESEND_AFTER_S = 30;

    public DeliveryConfig {
        confirmedBy = confirmedBy == null ? SERVER : confirmedBy.trim().toLowerCase(java.util.Locale.ROOT);
        resendAfterS = resendAfterS == null ? DEFAULT_RESEND_AFTER_S : resendAfterS;
    }

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(null, null);
    }

    public boolean confirmedByServer() {
        return SERVER.equals(confirmedBy);
    }
}
