package io.loginetl.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    private static final byte[] KEY = HexFormat.of().parseHex("8f2c41d9e07a3b5c6d1e2f30a4b5c6d7e8f9011223344556677889900aabbccd");
    private final PiiMasker masker = new PiiMasker(KEY);

    @Test
    void isHmacSha256UnderTheFieldsOwnHkdfSubkey() throws Exception {
        // written out here from RFC 5869 (one block: PRK = HMAC(32 zero bytes, key), subkey = HMAC(PRK, info || 0x01))
        byte[] prk = hmac(new byte[32], KEY);
        for (String[] field : new String[][] {{"ip", "199.172.111.135"}, {"device_id", "593-47-5928"}}) {
            byte[] info = ("login-etl mask " + field[0] + "\u0001").getBytes(StandardCharsets.UTF_8);
            String expected = HexFormat.of().formatHex(hmac(hmac(prk, info), field[1].getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, field[0].equals("ip") ? masker.maskIp(field[1]) : masker.maskDeviceId(field[1]), field[0]);
        }
    }

    @Test
    void equalValuesInDifferentFieldsGetUnrelatedMasks() {
        assertNotEquals(masker.maskIp("10.0.0.1"), masker.maskDeviceId("10.0.0.1"));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void sameInputSameMaskAcrossInstances() {
        assertEquals(masker.maskIp("199.172.111.135"), new PiiMasker(KEY.clone()).maskIp("199.172.111.135"));
        assertNotEquals(masker.maskIp("199.172.111.135"), masker.maskIp("199.172.111.136"));
    }

    @Test
    void anotherKeyGivesAnotherMask() {
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertNotEquals(masker.maskDeviceId("593-47-5928"), new PiiMasker(other).maskDeviceId("593-47-5928"));
    }

    @Test
    void isNotAnUnkeyedHashNorAnEncodingOfTheValue() throws Exception {
        String ip = "199.172.111.135";
        String masked = masker.maskIp(ip);
        for (String algorithm : new String[] {"SHA-256", "SHA-1", "MD5"}) {
            String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(ip.getBytes(StandardCharsets.UTF_8)));
            assertNotEquals(unkeyed, masked, algorithm);
        }
        assertNotEquals(Base64.getEncoder().encodeToString(ip.getBytes(StandardCharsets.UTF_8)), masked);
        assertTrue(!masked.contains(ip));
    }

    @Test
    void fitsTheVarchar256ColumnsWhateverTheInputLength() {
        assertEquals(64, masker.maskIp("x".repeat(100_000)).length());
        assertTrue(masker.maskIp("").length() <= 256);
    }

    @Test
    void nullStaysNull() {
        assertNull(masker.maskIp(null));
    }

    @Test
    void refusesKeysShorterThan32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new PiiMasker(new byte[31]));
    }

    @Test
    void replacesRawIpAndDeviceIdInTheRow() throws Exception {
        Map<String, Object> row = new HashMap<>();
        row.put("user_id", "u");
        row.put("ip", "199.172.111.135");
        row.put("device_id", null);
        CamelContext context = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(row);

        masker.process(exchange);

        assertEquals(Map.of("user_id", "u", "masked_ip", masker.maskIp("199.172.111.135")),
                withoutNulls(row));
        assertTrue(row.containsKey("masked_device_id") && row.get("masked_device_id") == null);
        context.close();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> row) {
        Map<String, Object> copy = new HashMap<>(row);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
