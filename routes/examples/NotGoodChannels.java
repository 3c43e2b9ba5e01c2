import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.server.ChannelCatalog;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;

/**
 * An example Java DSL route file: copy it into routes/ (or drop your own *.java there) and the server loads it at
 * start and again whenever it is saved, like the YAML files. It answers GET /api/examples/not-good with the
 * channels whose latest reading is not GOOD: a value derived in Java from the server's state, where a YAML route
 * would only wire beans. Prefer YAML for wiring (endpoints, steps, error policy); reach for Java when a route needs a
 * few lines of logic that do not deserve a bean of their own. Loading it needs the jdk.compiler module in the Java
 * runtime (jOOR compiles the file in memory): any JDK, or Debian's openjdk-17-jre-headless (docs/operations.md).
 */
public class NotGoodChannels extends RouteBuilder {

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void configure() {
        from("platform-http:/api/examples/not-good?httpMethodRestrict=GET")
                .routeId("server-example-not-good")
                .process(exchange -> {
                    ChannelCatalog catalog = exchange.getContext().getRegistry()
                            .lookupByNameAndType("channelCatalog", ChannelCatalog.class);
                    List<String> notGood = catalog.channels().stream()
                            .filter(c -> catalog.latest(c.site(), c.node(), c.channel())
                                    .map(latest -> !"GOOD".equals(latest.quality())).orElse(false))
                            .map(c -> c.site() + "/" + c.node() + "/" + c.channel())
                            .toList();
                    exchange.getMessage().setBody(json.writeValueAsString(notGood));
                })
                .setHeader("Content-Type", constant("application/json"));
    }
}
