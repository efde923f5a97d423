package io.loginetl.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.loginetl.demo.EmbeddedServers;

/** One ElasticMQ and one PostgreSQL for the whole test JVM, started on first use, stopped at exit. */
final class RealServers {

    private static EmbeddedServers servers;

    private RealServers() {
    }

    static synchronized EmbeddedServers get() {
        if (servers == null) {
            try {
                servers = EmbeddedServers.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    servers.close();
                } catch (IOException | RuntimeException e) {
                    // exiting anyway
                }
            }));
        }
        return servers;
    }
}
