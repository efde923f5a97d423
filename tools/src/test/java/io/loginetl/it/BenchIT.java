package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code bench} on a small N: every message a row, and every figure printed. Its timings are not checked. */
class BenchIT {

    @Test
    void benchWritesEveryMessageAndPrintsEachFigure() throws Exception {
        JarProcess.Result bench = JarProcess.runTools(Map.of(), Path.of("."), 600, "bench", "--messages", "1500", "--latency-seconds", "2",
                "--sqs-delay", "1");

        assertEquals(0, bench.exit(), bench.out() + bench.err());
        Matcher verified = Pattern.compile("rows verified +([\\d,]+) = messages ([\\d,]+): yes").matcher(bench.out());
        assertTrue(verified.find(), bench.out());
        assertEquals("1,500", verified.group(1));
        assertEquals("1,500", verified.group(2));
        Matcher latency = Pattern.compile("latency +p50 ([\\d.]+) s, p99 ([\\d.]+) s").matcher(bench.out());
        assertTrue(latency.find(), "no latency figures:\n" + bench.out());
        // numbers, not NaN (nothing counted between the scrapes), and above zero (a message takes time to become a row)
        assertTrue(Double.parseDouble(latency.group(1)) > 0, bench.out());
        // an idle pipeline's calls are counted (a number, not NaN), and the pipeline's polls brought messages
        Matcher idle = Pattern.compile("\nidle +([\\d.]+) SQS calls/s").matcher(bench.out());
        assertTrue(idle.find(), "no idle figure:\n" + bench.out());
        Matcher perPoll = Pattern.compile("; ([\\d.]+) messages per ReceiveMessage\\)").matcher(bench.out());
        assertTrue(perPoll.find() && Double.parseDouble(perPoll.group(1)) > 0, "no messages per poll:\n" + bench.out());
        Matcher memory = Pattern.compile("memory +heap peak (\\d+) MB, RSS peak (\\d+) MB").matcher(bench.out());
        assertTrue(memory.find(), "no memory figures:\n" + bench.out());
        assertTrue(Long.parseLong(memory.group(1)) > 0, "the pipeline's heap was never read:\n" + bench.out());
        assertTrue(Pattern.compile("\nwarm-up +[\\d,]+ messages sent and drained in \\d+ rounds").matcher(bench.out()).find(),
                "no warm-up line:\n" + bench.out());
        assertTrue(bench.out().contains("SQS delay 1 ms each way"), bench.out());
        // the drain at each thread count, the best the reference
        for (String threads : new String[] {"(2 threads", "(8 threads", "(32 threads"}) {
            assertTrue(bench.out().contains(threads), "no drain " + threads + ":\n" + bench.out());
        }
        for (String figure : new String[] {"pipeline ", "bare SQS drain ", "COPY ", "naive ", "ratios ", "targets "}) {
            assertTrue(bench.out().contains("\n" + figure), "no " + figure.strip() + " figure:\n" + bench.out());
        }
    }
}
