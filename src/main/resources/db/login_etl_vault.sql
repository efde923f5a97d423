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
