package io.loginetl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Reading the pipeline's Prometheus text: samples, histogram buckets, and quantiles of what came between two scrapes. */
class ChildJvmTest {

    private static final String METRICS = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            login_etl_rows_written_total 1200.0
            login_etl_rows_written_total_extra 7.0
            lat_seconds_bucket{le="0.5"} 10.0
            lat_seconds_bucket{le="1.0"} 90.0
            lat_seconds_bucket{le="2.0"} 100.0
            lat_seconds_bucket{le="+Inf"} 100.0
            """;

    @Test
    void sumsTheSamplesOfANameWhoseLabelsMatch() {
        assertEquals(3.5e7, ChildJvm.sample(METRICS, "jvm_memory_used_bytes", "area=\"heap\""));
        assertEquals(1200.0, ChildJvm.sample(METRICS, "login_etl_rows_written_total", ""));
        assertEquals(0.0, ChildJvm.sample(METRICS, "absent_total", ""));
    }

    @Test
    void readsCumulativeBucketsWithInfinityLast() {
        TreeMap<Double, Double> buckets = ChildJvm.buckets(METRICS, "lat_seconds");
        assertEquals(4, buckets.size());
        assertEquals(90.0, buckets.get(1.0));
        assertEquals(Double.POSITIVE_INFINITY, buckets.lastKey());
    }

    @Test
    void quantileInterpolatesWithinTheBucketLikeHistogramQuantile() {
        TreeMap<Double, Double> buckets = ChildJvm.buckets(METRICS, "lat_seconds");
        // rank 50 of 100 lies in (0.5, 1.0], which holds ranks 10..90: 0.5 + 0.5 * 40/80
        assertEquals(0.75, ChildJvm.quantile(0.5, new TreeMap<>(), buckets), 1e-9);
        // rank 99 lies in (1.0, 2.0], ranks 90..100
        assertEquals(1.9, ChildJvm.quantile(0.99, new TreeMap<>(), buckets), 1e-9);
    }

    @Test
    void quantileCountsOnlyWhatCameBetweenTheTwoScrapes() {
        TreeMap<Double, Double> before = new TreeMap<>();
        before.put(0.5, 10.0);
        before.put(1.0, 80.0);
        before.put(2.0, 80.0);
        before.put(Double.POSITIVE_INFINITY, 80.0);
        // between the scrapes: 0 at <= 0.5, 10 in (0.5, 1.0], 10 in (1.0, 2.0]
        TreeMap<Double, Double> after = ChildJvm.buckets(METRICS, "lat_seconds");
        assertEquals(1.0, ChildJvm.quantile(0.5, before, after), 1e-9);
        assertTrue(Double.isNaN(ChildJvm.quantile(0.5, after, after)), "nothing counted, no quantile");
    }
}
