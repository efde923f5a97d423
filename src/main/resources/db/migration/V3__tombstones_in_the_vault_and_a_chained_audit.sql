-- Version 3: erasure that the database enforces, and an audit chained by hashes.

-- A forgotten value is its vault row with the ciphertext gone (sealed, key_id NULL; forgotten_at set). The
-- pipeline stores an original with INSERT ... ON CONFLICT (masked) DO NOTHING, so a tombstone wins by the primary
-- key whatever the timing: a batch inserting the value while `forget` runs waits for it (or it for the batch), and
-- never brings the original back. Tombstones kept in login_etl_forgotten until now move here.
ALTER TABLE login_etl_vault ALTER COLUMN key_id DROP NOT NULL, ALTER COLUMN sealed DROP NOT NULL,
    ADD COLUMN forgotten_at timestamptz;
INSERT INTO login_etl_vault (masked, forgotten_at) SELECT masked, forgotten_at FROM login_etl_forgotten
    ON CONFLICT (masked) DO UPDATE SET key_id = NULL, sealed = NULL, forgotten_at = EXCLUDED.forgotten_at;
DROP TABLE login_etl_forgotten;
ALTER TABLE login_etl_vault ADD CONSTRAINT login_etl_vault_entry_or_tombstone
    CHECK ((sealed IS NULL) = (forgotten_at IS NOT NULL) AND (sealed IS NULL) = (key_id IS NULL));

-- Each audit row carries the SHA-256 of the previous row's hash and its own fields, so a changed, removed or
-- inserted row breaks the chain from there on (`java -jar login-etl.jar verify-audit`).
ALTER TABLE login_etl_audit ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

-- SHA-256 (FIPS 180-4) in PL/pgSQL: sha256() exists only from PostgreSQL 11, and the assignment's own database is
-- PostgreSQL 10. Slow (milliseconds a row), which an audit written a few times a day can afford; one implementation
-- on every server, checked against sha256() and Java's SHA-256 by the tests.
CREATE FUNCTION login_etl_sha256(data bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    k constant bigint[] := ARRAY[
        1116352408, 1899447441, 3049323471, 3921009573, 961987163, 1508970993, 2453635748, 2870763221,
        3624381080, 310598401, 607225278, 1426881987, 1925078388, 2162078206, 2614888103, 3248222580,
        3835390401, 4022224774, 264347078, 604807628, 770255983, 1249150122, 1555081692, 1996064986,
        2554220882, 2821834349, 2952996808, 3210313671, 3336571891, 3584528711, 113926993, 338241895,
        666307205, 773529912, 1294757372, 1396182291, 1695183700, 1986661051, 2177026350, 2456956037,
        2730485921, 2820302411, 3259730800, 3345764771, 3516065817, 3600352804, 4094571909, 275423344,
        430227734, 506948616, 659060556, 883997877, 958139571, 1322822218, 1537002063, 1747873779,
        1955562222, 2024104815, 2227730452, 2361852424, 2428436474, 2756734187, 3204031479, 3329325298];
    h bigint[] := ARRAY[1779033703, 3144134277, 1013904242, 2773480762, 1359893119, 2600822924, 528734635, 1541459225];
    m bytea := data || '\x80'::bytea;
    w bigint[];
    a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; g bigint; hh bigint;
    t1 bigint; t2 bigint; p int; i int;
    result bytea := '';
BEGIN
    -- padding: 0x80, zeros up to 56 bytes mod 64, then the length in bits as 8 bytes big-endian
    m := m || decode(repeat('00', (119 - length(data) % 64) % 64), 'hex') || int8send(length(data)::bigint * 8);
    FOR p IN 0 .. length(m) / 64 - 1 LOOP
        w := '{}';
        FOR i IN 0 .. 15 LOOP
            w[i] := (get_byte(m, p * 64 + i * 4)::bigint << 24) | (get_byte(m, p * 64 + i * 4 + 1) << 16)
                  | (get_byte(m, p * 64 + i * 4 + 2) << 8) | get_byte(m, p * 64 + i * 4 + 3);
        END LOOP;
        FOR i IN 16 .. 63 LOOP
            w[i] := (w[i - 16] + ((((w[i - 15] >> 7) | (w[i - 15] << 25)) & 4294967295) # (((w[i - 15] >> 18) | (w[i - 15] << 14)) & 4294967295) # (w[i - 15] >> 3)) + w[i - 7]
                   + ((((w[i - 2] >> 17) | (w[i - 2] << 15)) & 4294967295) # (((w[i - 2] >> 19) | (w[i - 2] << 13)) & 4294967295) # (w[i - 2] >> 10))) & 4294967295;
        END LOOP;
        a := h[1]; b := h[2]; c := h[3]; d := h[4]; e := h[5]; f := h[6]; g := h[7]; hh := h[8];
        FOR i IN 0 .. 63 LOOP
            t1 := (hh + ((((e >> 6) | (e << 26)) & 4294967295) # (((e >> 11) | (e << 21)) & 4294967295) # (((e >> 25) | (e << 7)) & 4294967295)) + ((e & f) # ((~e) & 4294967295 & g)) + k[i + 1] + w[i])
                  & 4294967295;
            t2 := (((((a >> 2) | (a << 30)) & 4294967295) # (((a >> 13) | (a << 19)) & 4294967295) # (((a >> 22) | (a << 10)) & 4294967295)) + ((a & b) # (a & c) # (b & c))) & 4294967295;
            hh := g; g := f; f := e; e := (d + t1) & 4294967295; d := c; c := b; b := a; a := (t1 + t2) & 4294967295;
        END LOOP;
        h[1] := (h[1] + a) & 4294967295; h[2] := (h[2] + b) & 4294967295; h[3] := (h[3] + c) & 4294967295;
        h[4] := (h[4] + d) & 4294967295; h[5] := (h[5] + e) & 4294967295; h[6] := (h[6] + f) & 4294967295;
        h[7] := (h[7] + g) & 4294967295; h[8] := (h[8] + hh) & 4294967295;
    END LOOP;
    FOR i IN 1 .. 8 LOOP
        result := result || substring(int8send(h[i]) FROM 5 FOR 4);
    END LOOP;
    RETURN result;
END
$$;

-- The text a row's hash covers: its fields in order, each as its UTF-8 length, ':' and itself ('-' for null), the
-- masked values preceded by their count. verify-audit rebuilds it in Java from the same fields.
CREATE FUNCTION login_etl_audit_text(a login_etl_audit) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(CASE WHEN f IS NULL THEN '-' ELSE octet_length(convert_to(f, 'UTF8')) || ':' || f END, '' ORDER BY n)
    FROM unnest(ARRAY[a.id::text, (extract(epoch FROM a.at) * 1000000)::bigint::text, a.action::text, a.db_user::text,
                      a.client_addr::text, a.os_user::text, a.reason, cardinality(a.masked_values)::text]
                || a.masked_values || ARRAY[a.outcome]) WITH ORDINALITY AS t(f, n)
$$;

-- The rows written so far, chained in id order.
DO $$
DECLARE
    r login_etl_audit;
    previous bytea;
BEGIN
    FOR r IN SELECT * FROM login_etl_audit ORDER BY id LOOP
        UPDATE login_etl_audit SET prev_hash = previous,
               hash = login_etl_sha256(coalesce(previous, ''::bytea) || convert_to(login_etl_audit_text(r), 'UTF8'))
         WHERE id = r.id RETURNING hash INTO previous;
    END LOOP;
END
$$;
ALTER TABLE login_etl_audit ALTER COLUMN hash SET NOT NULL;

-- The id comes from the trigger, after the lock: ids then follow the chain's order, and writers of the audit need no
-- privilege on its sequence.
ALTER TABLE login_etl_audit ALTER COLUMN id DROP DEFAULT;

-- On every insert, whatever the client sends: the next id, the session's role, the client's address, the time, and
-- the link to the previous row. One writer at a time (a transaction-scoped advisory lock, held to commit), so every
-- row links to the one committed before it. SECURITY DEFINER: it reads the last hash, which writers may not read.
CREATE OR REPLACE FUNCTION login_etl_audit_who() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    previous bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(7804880829556974452);
    NEW.id := nextval(pg_get_serial_sequence('login_etl_audit', 'id'));
    NEW.db_user := session_user;
    NEW.client_addr := inet_client_addr();
    NEW.at := now();
    SELECT hash INTO previous FROM login_etl_audit ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := previous;
    NEW.hash := login_etl_sha256(coalesce(previous, ''::bytea) || convert_to(login_etl_audit_text(NEW), 'UTF8'));
    RETURN NEW;
END
$$;
