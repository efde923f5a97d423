package io.loginetl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Builds the Camel {@link Main} that runs the pipeline, the same way for the jar, the demo and the tests:
 * {@code application.properties} from the working directory, each key falling back to the packaged copy; routes from
 * {@code ./routes} when that folder exists, else the copy packaged in the jar; Camel's own
 * {@code camel.main.routes-include-pattern} overrides both.
 */
public final class LoginEtl {

    /**
     * Where the settings come from: the working directory's application.properties, key by key over the packaged
     * copy, which holds every key with its default. The copy is packaged under login-etl's own name, so an
     * application that embeds login-etl keeps its own {@code application.properties}.
     */
    public static final String SETTINGS = "file:application.properties;optional=true,classpath:" + LoginEtl.PACKAGED_SETTINGS;
    /** The packaged defaults (this project's application.properties), as a classpath resource. */
    public static final String PACKAGED_SETTINGS = "io/loginetl/application.properties";

    private LoginEtl() {
    }

    public static Main newMain(Properties overrides) {
        return newMain(null, overrides);
    }

    /**
     * With a profile, camel-main layers {@code application-PROFILE.properties} from the classpath over the settings
     * (the demo's are a profile: {@code application-demo.properties} in the tools jar).
     */
    public static Main newMain(String profile, Properties overrides) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(SETTINGS);
        if (profile != null) {
            main.configure().setProfile(profile);
        }
        main.addInitialProperty("camel.main.routes-include-pattern",
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        if (overrides != null && !overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        return main;
    }

    /**
     * Some settings resolved as the pipeline resolves them (the same files, the profile's file, the environment),
     * for a command that runs no routes: {@code recover}, {@code forget}, {@code rekey}, the demo before it starts.
     */
    public static Map<String, String> settings(String profile, String... keys) {
        if (profile == null) {
            // as camel-main finds it when no code names one
            profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
        }
        // the first location holding a key wins; camel-main puts the profile's first, as here
        String locations = profile == null || profile.isBlank() ? SETTINGS
                : "classpath:application-" + profile + ".properties;optional=true," + SETTINGS;
        // a context never started (nothing to stop): its properties component alone, as camel-main's reads them
        PropertiesComponent properties = new DefaultCamelContext(false).getPropertiesComponent();
        properties.setLocation(locations);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : keys) {
            settings.put(key, properties.resolveProperty(key).orElse(""));
        }
        return settings;
    }

    /** Starts the pipeline in a background thread and returns once it runs (or throws why it could not start). */
    public static Running start(Properties overrides) throws Exception {
        return start(null, overrides);
    }

    /** {@link #start(Properties)} with a profile ({@link #newMain(String, Properties)}). */
    public static Running start(String profile, Properties overrides) throws Exception {
        Main main = newMain(profile, overrides);
        CompletableFuture<CamelContext> started = new CompletableFuture<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(org.apache.camel.main.BaseMainSupport m) {
                started.complete(m.getCamelContext());
            }
        });
        Thread thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable t) {
                started.completeExceptionally(t);
            } finally {
                started.completeExceptionally(new IllegalStateException("login-etl stopped before it started"));
            }
        }, "login-etl-main");
        thread.setDaemon(true);
        thread.start();
        try {
            return new Running(main, thread, started.get(120, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** A pipeline running in this JVM; closing it stops it the way SIGTERM does (drain, then stop). */
    public record Running(Main main, Thread thread, CamelContext context) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            main.completed();
            thread.join(60_000);
        }
    }
}
