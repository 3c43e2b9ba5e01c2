package io.iiotroutes.ops;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.ResourceSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Live reload of route files that never leaves a file's routes half-gone. Camel's own reload (with
 * removeAllRoutes=false) keeps other files' routes running when a file is broken, but a file that parses yet does
 * not make valid routes (an unknown endpoint option, a missing bean) has its routes removed before the error shows.
 * Here the last version of each file that loaded is kept, and a failed reload puts those routes back; the error
 * is still logged and counted ({@link #getFailedCounter()}), and the next save is tried afresh. Watches YAML route
 * files and Java DSL route files ({@link #PATTERN}; Java files are compiled by camel-java-joor-dsl).
 */
public class SafeRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReload.class);
    private final Map<String, byte[]> lastLoaded = new ConcurrentHashMap<>();
    private final Path folder;

    public SafeRouteReload(Path folder, String pattern) {
        super(folder.toString(), false);
        this.folder = folder;
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(SafeRouteReload::isRouteFile).toList()) {
                lastLoaded.put(file.toAbsolutePath().normalize().toString(), Files.readAllBytes(file));
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null) {
            super.onRouteReload(null, removeEverything);
            return;
        }
        // what is loaded is exactly what is remembered: the file is read once, as it is now (it may change again
        // while this reload runs)
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Resource resource : resources) {
            contents.put(resource.getLocation(), read(resource));
        }
        // a YAML file that is not even YAML is refused before Camel touches the running routes (a Java file that does
        // not compile fails in the reload itself, and is put back like any route file that does not build)
        contents.forEach((location, bytes) -> {
            if (!location.endsWith(".java")) {
                requireYaml(location, bytes);
            }
        });
        List<Resource> snapshot = contents.entrySet().stream()
                .map(e -> (Resource) new Snapshot(e.getKey(), e.getValue())).toList();
        try {
            super.onRouteReload(snapshot, removeEverything);
        } catch (RuntimeException e) {
            snapshot.forEach(this::restoreLastLoaded);
            throw e;
        }
        contents.forEach((location, bytes) -> lastLoaded.put(key(location), bytes));
    }

    /** The files this reload watches: YAML route files and Java DSL route files. */
    public static final String PATTERN = "*.camel.yaml,*.java";

    static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".camel.yaml") || name.endsWith(".java");
    }

    private static byte[] read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource.getLocation() + ": " + e.getMessage(), e);
        }
    }

    private static void requireYaml(String location, byte[] content) {
        try {
            new Load(LoadSettings.builder().build()).loadAllFromString(new String(content, StandardCharsets.UTF_8))
                    .forEach(document -> { });
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(location + " is not valid YAML, its routes keep running as last loaded: "
                    + e.getMessage(), e);
        }
    }

    private void restoreLastLoaded(Resource resource) {
        byte[] previous = lastLoaded.get(key(resource.getLocation()));
        if (previous == null) {
            return; // a new file that never loaded: nothing to put back
        }
        try {
            PluginHelper.getRoutesLoader(getCamelContext())
                    .updateRoutes(List.of(ResourceHelper.fromBytes(resource.getLocation(), previous)));
            LOG.warn("{} did not load; its routes keep running as last loaded. Fix the file and save it again.",
                    resource.getLocation());
        } catch (Exception e) {
            LOG.error("{} did not load, and its last loaded version could not be restored: {}", resource.getLocation(),
                    e.getMessage(), e);
        }
    }

    private static String key(String location) {
        return absolute(location).toString();
    }

    /** The file a location names ("file:routes/x.camel.yaml", or a plain path), as an absolute path. */
    private static Path absolute(String location) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize();
    }

    /**
     * A route file as this reload read it. Its location is the one Camel loaded it under (relative when the folder
     * is: "routes", the default), so its routes are the ones replaced; its URI is absolute, because Camel's reload
     * turns the URI into a path, and a relative file: URI is opaque ("URI is not hierarchical": no reload at all).
     */
    static final class Snapshot extends ResourceSupport {
        private final byte[] content;

        Snapshot(String location, byte[] content) {
            super("mem", location);
            this.content = content;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public URI getURI() {
            String location = getLocation();
            return location.startsWith("file:") ? absolute(location).toUri() : super.getURI();
        }
    }
}
