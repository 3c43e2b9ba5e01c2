package io.iiotroutes.app;

/**
 * The command line entry point: {@code java -jar iiot-routes.jar <edge|server|demo> [--key=value ...]}, or
 * {@code hash-password} for a line of the broker users file.
 */
public final class IiotRoutes {

    private IiotRoutes() {
    }

    public static void main(String[] args) throws Exception {
        // Our own logback file name: HiveMQ ships a logback.xml, and two of them make logback print a status dump.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "iiot-logback.xml");
        }
        if (args.length == 1 && HashPasswordCommand.NAME.equals(args[0])) {
            System.exit(HashPasswordCommand.run(System.console(), System.in, System.out, System.err));
            return;
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n");
            System.err.println(LaunchOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.usage());
            return;
        }
        // the full log (Camel's configuration summaries included) goes to a file in the data folder; the console
        // keeps the banner and what needs attention (iiot-logback.xml)
        if (System.getProperty("iiot.log.dir") == null) {
            System.setProperty("iiot.log.dir", IiotApplication.launchSetting(options.mode(), options.overrides(), "iiot.data.dir"));
        }
        try {
            new IiotApplication(options.mode(), options.overrides()).run();
        } catch (Exception e) {
            System.err.println("error: IIoT Routes could not start in " + options.mode().id() + " mode: " + rootCause(e));
            System.exit(1);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause == e ? e.getMessage() : e.getMessage() + " (" + cause + ")";
        return message == null ? e.toString() : message;
    }
}
