-- login-etl's schema, version 1: the analysts' table (kept as it is when it exists, app_version integer or
-- varchar) and login-etl's own tables. Applied by `java -jar login-etl.jar migrate` (the owner), or at start when
-- db.migrate is true and DB_USER may create tables. Flyway records it in login_etl_schema_history.

-- The analysts' table, exactly as the assignment gives it. Created only when absent: an existing table
-- (app_version integer or varchar) is used as it is.
CREATE TABLE IF NOT EXISTS user_logins(
    user_id varchar(128), device_type varchar(32), masked_ip varchar(256), masked_device_id varchar(256),
    locale varchar(32), app_version integer, create_date date);

-- The SQS message ids already written to user_logins, recorded in the same statement as their row, so a
-- redelivered message (SQS delivers at least once) never makes a second row. Pruned after the queue's
-- retention period, when SQS can no longer deliver the message again.
CREATE TABLE IF NOT EXISTS login_etl_messages(
    message_id varchar(128) PRIMARY KEY,
    written_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS login_etl_messages_written_at ON login_etl_messages(written_at);

-- Where PII lives, for the few who may recover it: for each distinct masked value, the original encrypted
-- with AES-256-GCM (IV || ciphertext || tag) under the vault key named by key_id. Written in the same
-- statement as the row that first carried the value. user_logins holds only the HMAC.
CREATE TABLE IF NOT EXISTS login_etl_vault(
    masked varchar(64) PRIMARY KEY,
    key_id varchar(8) NOT NULL,
    sealed bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());

-- Masked values whose originals were erased by `forget`: the pipeline never puts them back into the vault.
CREATE TABLE IF NOT EXISTS login_etl_forgotten(
    masked varchar(64) PRIMARY KEY,
    forgotten_at timestamptz NOT NULL DEFAULT now());

-- Every recover, forget and rekey: who, when, why, which masked values. Never the originals.
CREATE TABLE IF NOT EXISTS login_etl_audit(
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    action varchar(16) NOT NULL,
    os_user varchar(128),
    reason text,
    masked_values text[] NOT NULL,
    outcome text NOT NULL);
