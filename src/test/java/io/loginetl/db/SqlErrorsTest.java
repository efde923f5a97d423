package io.loginetl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void constraintAndDataExceptionsAreTheRowsFault() {
        assertTrue(SqlErrors.isDataError(new SQLException("x", "23502")));
        assertTrue(SqlErrors.isDataError(new RuntimeException(new SQLException("x", "22001"))));
    }

    @Test
    void aBatchFailureIsClassifiedByTheErrorBehindIt() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: new row violates check constraint", "23514"));
        assertTrue(SqlErrors.isDataError(batch));
        assertEquals("rejected by the database: SQLState 23514 (check constraint violation)", SqlErrors.rejectionReason(batch));
    }

    @Test
    void connectionAndServerFailuresAreTransient() {
        assertFalse(SqlErrors.isDataError(new SQLTransientConnectionException("pool timeout", "08001", new ConnectException())));
        assertFalse(SqlErrors.isDataError(new SQLException("terminating connection due to administrator command", "57P01")));
        assertFalse(SqlErrors.isDataError(new SQLException("read-only transaction", "25006")));
        assertFalse(SqlErrors.isDataError(new IllegalStateException("no SQL at all")));
        assertNull(SqlErrors.sqlState(new IllegalStateException()));
    }

    @Test
    void onlyAnUnreachableOrUnwritableDatabasePausesPolling() {
        assertTrue(SqlErrors.isUnavailable(new SQLTransientConnectionException("pool timeout", "08001", new ConnectException())));
        assertTrue(SqlErrors.isUnavailable(new SQLException("terminating connection", "57P01")));
        assertTrue(SqlErrors.isUnavailable(new SQLException("cannot execute INSERT in a read-only transaction", "25006")));
        assertTrue(SqlErrors.isUnavailable(new RuntimeException(new ConnectException("refused"))));
        assertFalse(SqlErrors.isUnavailable(new SQLException("deadlock detected", "40P01")));
        assertFalse(SqlErrors.isUnavailable(new NullPointerException()));
    }

    @Test
    void describesByStateAndClassNeverByMessage() {
        SQLException e = new SQLException("Failing row contains (u-1, 10.0.0.1)", "23502", new ConnectException("x"));
        assertEquals("SQLState 23502, ConnectException", SqlErrors.describe(e));
        assertEquals("IllegalStateException", SqlErrors.describe(new RuntimeException(new IllegalStateException("10.0.0.1"))));
    }
}
