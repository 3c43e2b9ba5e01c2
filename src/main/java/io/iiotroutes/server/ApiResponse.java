package io.iiotroutes.server;

/**
 * What a REST route answers: HTTP status and JSON body; {@code alarmEvent} is set when the call changed an alarm
 * (the route publishes it like any other alarm event).
 */
public record ApiResponse(int status, String body, AlarmEvaluator.AlarmEvent alarmEvent) {

    public static ApiResponse ok(String body) {
        return new ApiResponse(200, body, null);
    }
}
