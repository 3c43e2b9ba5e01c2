package io.iiotroutes.app;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * The Camel CLI ({@code camel run}, {@code camel get}, ...) with the application's classes on the classpath, for
 * users who run Camel routes the Camel way. {@code camel run} with {@code --prop
 * camel.main.configurationClasses=io.iiotroutes.app.IiotRuntime$Demo} runs the demo routes on the embedded broker and
 * TSDB; the full command is in docs/operations.md.
 */
public final class CamelCli {

    private CamelCli() {
    }

    public static void main(String[] args) {
        CamelJBangMain.run(args);
    }
}
