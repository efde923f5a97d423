package io.loginetl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Builds the Camel {@link Main} that runs the pipeline, the same way for the jar, the demo and the tests:
 * {@code application.properties} from the working directory, each key falling back to the packaged copy; routes from
 * {@code ./routes} when that folder exists, else the copy packaged in the jar; Camel's own
 * {@code camel.main.routes-include-pattern} overrides both.
 */
public final class LoginEtl {

    private LoginEtl() {
    }

    public static Main newMain(Properties overrides) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        main.addInitialProperty("camel.main.routes-include-pattern",
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        if (overrides != null && !overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        return main;
    }

    /** Starts the pipeline in a background thread and returns once it runs (or throws why it could not start). */
    public static Running start(Properties overrides) throws Exception {
        Main main = newMain(overrides);
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
