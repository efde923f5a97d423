package io.loginetl;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import io.loginetl.vault.AuditTrail;

/**
 * {@code verify-audit [--head HASH]}: recomputes the audit's hash chain and prints the head, which an auditor records
 * elsewhere (a ticket, a log of their own); given back with {@code --head}, it must still be in the chain, so rows
 * removed from the end are seen too. Exit 0 when intact, 1 when broken (naming the first broken row). Needs only
 * SELECT on {@code login_etl_audit}; prints no value.
 */
final class VerifyAuditCommand {

    static final String USAGE = "usage: java -jar login-etl.jar verify-audit [--head HASH]";

    private VerifyAuditCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws SQLException {
        String head = null;
        if (args.length == 3 && args[1].equals("--head")) {
            head = args[2];
        } else if (args.length != 1) {
            err.println(USAGE);
            return 2;
        }
        VaultCommands.quietLogging();
        Map<String, String> settings = LoginEtl.settings(null, "db.url", "db.user", "db.password");
        try (Connection db = VaultCommands.connect(settings)) {
            AuditTrail.Verdict verdict = AuditTrail.verify(db, head);
            if (verdict.intact()) {
                out.println("verify-audit: " + verdict.rows() + (verdict.rows() == 1 ? " row" : " rows") + ", chain intact; head " + verdict.head()
                        + " (record it elsewhere; a later `verify-audit --head` with it also catches rows removed from the end)");
                return 0;
            }
            err.println("login-etl: the audit chain is broken" + (verdict.brokenAt() == null ? "" : " at row " + verdict.brokenAt())
                    + ": " + verdict.problem());
            return 1;
        }
    }
}
