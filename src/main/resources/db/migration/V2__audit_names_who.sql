-- Version 2: the audit names who by the database's word, not the client's. On every insert the server sets the
-- session's role, the client's address and the time, whatever the client sends (os_user stays: what the client
-- says of itself).
ALTER TABLE login_etl_audit ADD COLUMN db_user varchar(128);
ALTER TABLE login_etl_audit ADD COLUMN client_addr inet;

CREATE OR REPLACE FUNCTION login_etl_audit_who() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_user := session_user;
    NEW.client_addr := inet_client_addr();
    NEW.at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER login_etl_audit_who BEFORE INSERT ON login_etl_audit
    FOR EACH ROW EXECUTE PROCEDURE login_etl_audit_who();
