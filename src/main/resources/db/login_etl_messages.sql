-- The SQS message ids already written to user_logins, recorded in the same statement as their row, so a
-- redelivered message (SQS delivers at least once) never makes a second row. Pruned after the queue's
-- retention period, when SQS can no longer deliver the message again.
CREATE TABLE IF NOT EXISTS login_etl_messages(
    message_id varchar(128) PRIMARY KEY,
    written_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS login_etl_messages_written_at ON login_etl_messages(written_at);
