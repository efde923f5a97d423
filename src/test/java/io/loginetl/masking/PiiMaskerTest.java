package io.loginetl.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final PiiMasker masker = new PiiMasker(KEY);

    @Test
    void isHmacSha256AsRfc4231Defines() {
        // RFC 4231 test case 6: a 131-byte key of 0xaa
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                new PiiMasker(key).mask("Test Using Larger Than Block-Size Key - Hash Key First"));
    }

    @Test
    void sameInputSameMaskAcrossInstances() {
        assertEquals(masker.mask("199.172.111.135"), new PiiMasker(KEY.clone()).mask("199.172.111.135"));
        assertNotEquals(masker.mask("199.172.111.135"), masker.mask("199.172.111.136"));
    }

    @Test
    void anotherKeyGivesAnotherMask() {
        byte[] other = "another-key-another-key-another!".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(masker.mask("593-47-5928"), new PiiMasker(other).mask("593-47-5928"));
    }

    @Test
    void isNotAnUnkeyedHashNorAnEncodingOfTheValue() throws Exception {
        String ip = "199.172.111.135";
        String masked = masker.mask(ip);
        for (String algorithm : new String[] {"SHA-256", "SHA-1", "MD5"}) {
            String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(ip.getBytes(StandardCharsets.UTF_8)));
            assertNotEquals(unkeyed, masked, algorithm);
        }
        assertNotEquals(Base64.getEncoder().encodeToString(ip.getBytes(StandardCharsets.UTF_8)), masked);
        assertTrue(!masked.contains(ip));
    }

    @Test
    void fitsTheVarchar256ColumnsWhateverTheInputLength() {
        assertEquals(64, masker.mask("x".repeat(100_000)).length());
        assertTrue(masker.mask("").length() <= 256);
    }

    @Test
    void nullStaysNull() {
        assertNull(masker.mask(null));
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

        assertEquals(Map.of("user_id", "u", "masked_ip", masker.mask("199.172.111.135")),
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
