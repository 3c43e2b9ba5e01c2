package io.iiotroutes.ops;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Live reload of route files that never leaves a file's routes half-gone. Camel's own reload (with
 * removeAllRoutes=false) keeps other files' routes running when a file is broken, but a file that parses yet does
 * not make valid routes (an unknown endpoint option, a missing bean) has its routes removed before the error shows.
 * Here the last version of each file that loaded is kept, and a failed reload puts those routes back; the error
 * is still logged and counted ({@link #getFailedCounter()}), and the next save is tried afresh.
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
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                lastLoaded.put(file.toAbsolutePath().normalize().toString(), Files.readAllBytes(file));
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources != null) {
            // a file that is not even YAML is refused before Camel touches the running routes
            resources.forEach(SafeRouteReload::requireYaml);
        }
        try {
            super.onRouteReload(resources, removeEverything);
        } catch (RuntimeException e) {
            if (resources != null) {
                resources.forEach(this::restoreLastLoaded);
            }
            throw e;
        }
        if (resources != null) {
            resources.forEach(resource -> remember(resource));
        }
    }

    private static void requireYaml(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            new Load(LoadSettings.builder().build()).loadAllFromInputStream(in).forEach(document -> { });
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(resource.getLocation() + " is not valid YAML, its routes keep running as"
                    + " last loaded: " + e.getMessage(), e);
        }
    }

    private void remember(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            lastLoaded.put(key(resource), in.readAllBytes());
        } catch (IOException e) {
            LOG.warn("Cannot keep the loaded version of {}: {}", resource.getLocation(), e.getMessage());
        }
    }

    private void restoreLastLoaded(Resource resource) {
        byte[] previous = lastLoaded.get(key(resource));
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

    private static String key(Resource resource) {
        String location = resource.getLocation();
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize().toString();
    }
}
