package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies built to make a naive parser or mapper allocate or compute without end, each through the route's steps
 * ({@link IngestChain}): each ends as the dead letter named, having allocated no more than a small bound (a
 * number written out in full, a quadratic flattening or a gigabyte string would allocate far more).
 */
class HostileInputTest {

    static Stream<Arguments> hostileBodies() {
        return HostileCorpus.kinds("u").stream().map(k -> Arguments.of(k.name(), k.body(), k.reason()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void endsAsTheNamedDeadLetterWithinABoundedAllocation(String kind, String body, String reason) {
        IngestChain.Outcome outcome = IngestChain.run(body, IngestChain.INTEGER_TABLE);

        assertEquals(reason, outcome.deadLetterReason(), kind);
        assertTrue(outcome.allocatedBytes() < IngestChain.allocationBound(body),
                kind + ": allocated " + outcome.allocatedBytes() + " bytes for a body of " + body.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void endsTheSameWayForEveryKindOfTableButForTheVersionsATextColumnTakes(String kind, String body, String reason) {
        for (LoginMapper table : new LoginMapper[] {IngestChain.VARCHAR_TABLE, IngestChain.TEXT_TABLE}) {
            IngestChain.Outcome outcome = IngestChain.run(body, table);

            assertTrue(outcome.allocatedBytes() < IngestChain.allocationBound(body), kind);
            if (reason == null || !reason.startsWith("app_version")) {
                assertEquals(reason, outcome.deadLetterReason(), kind);
            } else {
                // a text app_version column stores what an integer one refuses ("Infinity"), up to its own length
                assertTrue(outcome.isRow() || outcome.deadLetterReason().startsWith("app_version"), kind + ": " + outcome.deadLetterReason());
            }
        }
    }
}
