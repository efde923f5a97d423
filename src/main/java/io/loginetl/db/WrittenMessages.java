package io.loginetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of written SQS message ids ({@code login_etl_messages}). Ids older than the queue's retention
 * period (plus a day) are pruned: SQS cannot deliver those messages again.
 */
public final class WrittenMessages {

    private static final Logger LOG = LoggerFactory.getLogger(WrittenMessages.class);
    private static final int CHUNK = 10_000;

    private final DataSource dataSource;
    private final Duration keep;

    public WrittenMessages(DataSource dataSource, Duration queueRetention) {
        this.dataSource = dataSource;
        this.keep = queueRetention.plusDays(1);
    }

    public Duration keep() {
        return keep;
    }

    /** Deletes ids older than {@link #keep()}, in chunks; returns how many. Failures are logged, not thrown. */
    public long prune() {
        long deleted = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM login_etl_messages WHERE message_id IN (
                       SELECT message_id FROM login_etl_messages
                       WHERE written_at < now() - make_interval(secs => ?) LIMIT ?)""")) {
            ps.setLong(1, keep.toSeconds());
            ps.setInt(2, CHUNK);
            int n;
            do {
                n = ps.executeUpdate();
                deleted += n;
            } while (n == CHUNK);
            if (deleted > 0) {
                LOG.info("pruned {} message ids older than {} days from login_etl_messages", deleted, keep.toDays());
            }
        } catch (SQLException e) {
            LOG.warn("pruning login_etl_messages failed (SQLState {}); will try again", e.getSQLState());
        }
        return deleted;
    }
}
