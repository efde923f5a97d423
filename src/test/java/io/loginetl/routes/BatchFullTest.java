package io.loginetl.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.loginetl.mapping.MessageSizeLimit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class BatchFullTest {

    @Test
    void aBatchIsFullOnceTheBodiesOfItsRowsReachTheLimitAndNotBefore() {
        CamelContext running = new DefaultCamelContext();
        BatchFull full = new BatchFull(1_000);
        LoginBatches batches = new LoginBatches();

        Exchange batch = batches.aggregate(null, row(running, 600));
        assertFalse(full.matches(batch), "600 of 1,000 bytes");
        batch = batches.aggregate(batch, row(running, 399));
        assertFalse(full.matches(batch), "999 of 1,000 bytes");
        batch = batches.aggregate(batch, row(running, 1));
        assertTrue(full.matches(batch), "1,000 of 1,000 bytes");
    }

    @Test
    void whileCamelStopsEveryBatchIsFullSoTheStopWritesItAtOnce() {
        CamelContext stopping = new DefaultCamelContext() {
            @Override
            public boolean isStopping() {
                return true;
            }
        };
        Exchange batch = new LoginBatches().aggregate(null, row(stopping, 10));

        assertTrue(new BatchFull(1_000).matches(batch));
    }

    /** A row as the route hands it to the aggregator: its fields, and its body's size as the size limit counted it. */
    private static Exchange row(CamelContext context, long bodyBytes) {
        Exchange row = new DefaultExchange(context);
        row.getMessage().setBody(Map.of("user_id", "u"));
        row.setProperty(MessageSizeLimit.BODY_BYTES, bodyBytes);
        return row;
    }
}
