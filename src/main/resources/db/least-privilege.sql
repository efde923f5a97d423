-- login-etl: least privilege. Run by the owner of login-etl's tables (the role that ran `migrate`), after it:
--
--   psql "postgresql://OWNER@HOST/DB" -v pipeline_role=login_etl -v officer_role=pii_officer -f least-privilege.sql
--
-- Both roles must exist (CREATE ROLE ... LOGIN) and own none of the tables. Afterwards, and after every run:
--   the pipeline (DB_USER of `java -jar login-etl.jar`, with db.migrate=false) writes rows, its message ledger and
--     vault entries, and reads no original: of the vault it sees only the masked values (its ON CONFLICT needs
--     them); it cannot touch the audit;
--   the officer (DB_USER of recover, forget, rekey, verify-audit) reads and erases vault entries, purges erased
--     ones from the table's files (MAINTAIN, PostgreSQL 17+), appends to and reads the audit; it cannot read
--     user_logins;
--   nobody but the owner may UPDATE, DELETE or TRUNCATE the audit (superusers aside).
-- The script revokes everything first, so running it again gives the same grants. It needs psql (\gexec, \if).
\set ON_ERROR_STOP on
\set QUIET on

-- Neither role may own a table: an owner could grant itself anything back.
SELECT format('DO $$BEGIN RAISE EXCEPTION %L; END$$',
              format('table %s is owned by %s: make the owner of login-etl''s tables own it (ALTER TABLE %s OWNER TO %s) '
                     'and run this script as that owner', tablename, tableowner, tablename, current_user))
  FROM pg_tables
 WHERE schemaname = current_schema()
   AND (tablename = 'user_logins' OR tablename LIKE 'login\_etl\_%')
   AND tableowner IN (:'pipeline_role', :'officer_role')
\gexec

REVOKE ALL ON user_logins, login_etl_messages, login_etl_vault, login_etl_audit, login_etl_schema_history
    FROM PUBLIC, :"pipeline_role", :"officer_role";
REVOKE ALL ON SEQUENCE login_etl_audit_id_seq FROM PUBLIC, :"pipeline_role", :"officer_role";
-- the schema's USAGE, where the owner may give it (PostgreSQL 10-14's public schema is the bootstrap superuser's,
-- and PUBLIC holds USAGE on it already)
SELECT format('GRANT USAGE ON SCHEMA %I TO %I, %I', current_schema(), :'pipeline_role', :'officer_role')
 WHERE has_schema_privilege(current_schema(), 'USAGE WITH GRANT OPTION') \gexec

-- Both check the schema's version before they start (Flyway's history, read only).
GRANT SELECT ON login_etl_schema_history TO :"pipeline_role", :"officer_role";

-- The pipeline.
GRANT INSERT ON user_logins TO :"pipeline_role";
GRANT SELECT, INSERT, DELETE ON login_etl_messages TO :"pipeline_role";  -- the ledger of written message ids, pruned
GRANT INSERT (masked, key_id, sealed), SELECT (masked) ON login_etl_vault TO :"pipeline_role";

-- The officer.
GRANT SELECT, INSERT (masked, forgotten_at), UPDATE (key_id, sealed, forgotten_at) ON login_etl_vault TO :"officer_role";
GRANT SELECT, INSERT ON login_etl_audit TO :"officer_role";
SELECT current_setting('server_version_num')::int >= 170000 AS has_maintain \gset
\if :has_maintain
GRANT MAINTAIN ON login_etl_vault TO :"officer_role";  -- forget's VACUUM FULL: erased ciphertexts leave the files
\else
\echo 'least-privilege.sql: PostgreSQL before 17 has no MAINTAIN privilege: after each forget the owner must run VACUUM FULL login_etl_vault (forget says so)'
\endif

\echo 'least-privilege.sql: granted' :pipeline_role 'the pipeline''s privileges and' :officer_role 'the officer''s'
