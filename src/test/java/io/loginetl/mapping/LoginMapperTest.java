package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.loginetl.db.UserLoginsTable;
import org.junit.jupiter.api.Test;

class LoginMapperTest {

    private static final Map<String, Integer> DDL_LENGTHS = Map.of(
            "user_id", 128, "device_type", 32, "masked_ip", 256, "masked_device_id", 256, "locale", 32);
    private final LoginMapper integerTable = new LoginMapper(new UserLoginsTable(DDL_LENGTHS, "integer"));
    private final LoginMapper varcharTable = new LoginMapper(new UserLoginsTable(withVarcharVersion(), "varchar"));

    @Test
    void mapsEveryColumnAndDatesTheRowByItsSentTimestampInUtc() {
        Map<String, Object> row = integerTable.toRow(login(), "1700000000000", "m-1", "rh-1");

        assertEquals("424cdd21-063a-43a7-b91b-7ca1a833afae", row.get("user_id"));
        assertEquals("android", row.get("device_type"));
        assertEquals("199.172.111.135", row.get("ip"));
        assertEquals("593-47-5928", row.get("device_id"));
        assertEquals("RU", row.get("locale"));
        assertEquals(2003000, row.get("app_version"));
        assertEquals(LocalDate.of(2023, 11, 14), row.get("create_date"));
        assertEquals("m-1", row.get("sqs_message_id"));
        assertEquals("rh-1", row.get("sqs_receipt_handle"));
        assertEquals(1700000000000L, row.get(LoginMapper.SENT_AT));
    }

    @Test
    void sentJustBeforeMidnightUtcIsThatDay() {
        // 2024-02-29T23:59:59.999Z
        assertEquals(LocalDate.of(2024, 2, 29), integerTable.toRow(login(), "1709251199999", "m", "r").get("create_date"));
    }

    @Test
    void nullLocaleAndVersionStayNull() {
        Map<String, Object> json = login();
        json.put("locale", null);
        json.remove("app_version");

        Map<String, Object> row = integerTable.toRow(json, "1700000000000", "m", "r");

        assertNull(row.get("locale"));
        assertNull(row.get("app_version"));
    }

    @Test
    void numericVersionsAreReadAsWritten() {
        Map<String, Object> json = login();
        json.put("app_version", new BigDecimal("0.96"));
        assertEquals(96000, integerTable.toRow(json, "1700000000000", "m", "r").get("app_version"));
    }

    @Test
    void varcharVersionColumnGetsTheStringAsSent() {
        Map<String, Object> json = login();
        json.put("app_version", "2.3.0-beta");
        assertEquals("2.3.0-beta", varcharTable.toRow(json, "1700000000000", "m", "r").get("app_version"));
    }

    @Test
    void aMessageWithoutUserIdIsNotALogin() {
        assertReason("not a login event: no user_id", Map.of("foo", "oops", "bar", "123"));
    }

    @Test
    void anEmptyUserIdIsRejected() {
        Map<String, Object> json = login();
        json.put("user_id", " ");
        assertReason("user_id is empty", json);
    }

    @Test
    void numbersAndBooleansWhereStringsBelongAreRejected() {
        Map<String, Object> json = login();
        json.put("device_type", 7);
        assertReason("device_type must be a string, not a number", json);
        json = login();
        json.put("ip", true);
        assertReason("ip must be a string, not a boolean", json);
    }

    @Test
    void aValueLongerThanItsColumnIsRejectedWithoutQuotingIt() {
        Map<String, Object> json = login();
        json.put("device_type", "x".repeat(33));
        assertReason("device_type is longer than the 32 characters of user_logins.device_type", json);
    }

    @Test
    void aVersionLongerThanAVarcharColumnIsRejected() {
        Map<String, Object> json = login();
        json.put("app_version", "1".repeat(33));
        InvalidLoginException e = assertThrows(InvalidLoginException.class,
                () -> varcharTable.toRow(json, "1700000000000", "m", "r"));
        assertEquals("app_version is longer than the 32 characters of user_logins.app_version", e.getMessage());
    }

    @Test
    void nulCharactersAreRejectedBecausePostgresTextCannotHoldThem() {
        Map<String, Object> json = login();
        json.put("device_id", "593\u000047");
        assertReason("device_id contains a NUL character, which PostgreSQL text cannot store", json);
    }

    private void assertReason(String reason, Map<String, Object> json) {
        InvalidLoginException e = assertThrows(InvalidLoginException.class,
                () -> integerTable.toRow(json, "1700000000000", "m", "r"));
        assertEquals(reason, e.getMessage());
    }

    private static Map<String, Object> login() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", "424cdd21-063a-43a7-b91b-7ca1a833afae");
        json.put("app_version", "2.3.0");
        json.put("device_type", "android");
        json.put("ip", "199.172.111.135");
        json.put("locale", "RU");
        json.put("device_id", "593-47-5928");
        return json;
    }

    private static Map<String, Integer> withVarcharVersion() {
        Map<String, Integer> lengths = new HashMap<>(DDL_LENGTHS);
        lengths.put("app_version", 32);
        return lengths;
    }
}
