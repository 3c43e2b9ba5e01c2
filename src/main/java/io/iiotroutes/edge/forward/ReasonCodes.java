package io.iiotroutes.edge.forward;

/** Names of the MQTT 5 PUBACK/PUBREC failure reason codes, for log lines an operator can act on. */
final class ReasonCodes {

    private ReasonCodes() {
    }

    static String describe(int code) {
        return switch (code) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code " + code;
        };
    }
}
