package io.loginetl.routes;

import java.util.Map;

import io.loginetl.mapping.MessageSizeLimit;
import org.apache.camel.Exchange;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;

/**
 * Groups rows into a batch (a list of rows, as camel-sql's writer takes it) and keeps the size of their message
 * bodies in {@value #BYTES}, so the route can close a batch by bytes as well as by count: every row carries its
 * body (for a dead letter, should the database refuse it), and a batch of large messages must not hold the heap.
 */
public class LoginBatches extends GroupedBodyAggregationStrategy {

    /** Exchange property of a batch: UTF-8 bytes of the bodies of its rows. */
    public static final String BYTES = "loginEtlBatchBytes";

    @Override
    public Exchange aggregate(Exchange batch, Exchange row) {
        Exchange aggregated = super.aggregate(batch, row);
        long bytes = aggregated.getProperty(BYTES, 0L, Long.class) + bodyBytes(row);
        aggregated.setProperty(BYTES, bytes);
        return aggregated;
    }

    /** As the size limit counted it; counted here only for a route edited to go without that step. */
    private static long bodyBytes(Exchange row) {
        Long counted = row.getProperty(MessageSizeLimit.BODY_BYTES, Long.class);
        if (counted != null) {
            return counted;
        }
        Map<?, ?> fields = row.getMessage().getBody(Map.class);
        return fields != null && fields.get("sqs_body") instanceof String s ? MessageSizeLimit.utf8Length(s, Long.MAX_VALUE) : 0;
    }
}
