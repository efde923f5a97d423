package io.loginetl.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RandomKeysTest {

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void acceptsWhatOpensslRandPrintsAnd10000RandomKeysOfEveryLengthFrom32() {
        assertEquals(32, RandomKeys.decode("546Y9SadCMsl/XzZSSqo7MnxLEUfUJcK2JAxt1HRqJ4=").length);
        assertEquals(32, RandomKeys.decode("546Y9SadCMsl/XzZSSqo7MnxLEUfUJcK2JAxt1HRqJ4").length, "unpadded");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 10_000; i++) {
            byte[] key = new byte[32 + i % 97];
            random.nextBytes(key);
            assertEquals(key.length, RandomKeys.decode(base64(key)).length);
        }
    }

    @Test
    void refusesPassphrasesPatternsAndPlaceholdersNamingTheCommandThatMakesAKey() {
        assertRefused("CHANGE-ME", "is not base64");
        assertRefused("correct horse battery staple", "is not base64");
        assertRefused(base64("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)), "decodes to printable text");
        assertRefused(base64("a passphrase, longer than 32 bytes, made of words!".getBytes(StandardCharsets.UTF_8)), "printable text");
        assertRefused("a".repeat(44), "repeats a pattern of 3 bytes"); // the 32 x 'a' grown to 33 bytes
        assertRefused(base64(new byte[32]), "repeats a pattern of 1 byte");
        byte[] cycle = new byte[40];
        for (int i = 0; i < cycle.length; i++) {
            cycle[i] = (byte) (0x80 + i % 5);
        }
        assertRefused(base64(cycle), "repeats a pattern of 5 bytes");
        byte[] few = new byte[32];
        Random r = new Random(7);
        for (int i = 0; i < few.length; i++) {
            few[i] = (byte) (0xf0 + r.nextInt(8)); // 8 values, in no period
        }
        assertRefused(base64(few), "distinct byte values in 32"); // at most 8
        assertRefused(base64(new byte[] {1, 2, 3}), "is base64 of 3 bytes; it must be base64 of at least 32 random bytes");
    }

    private static void assertRefused(String key, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomKeys.decode(key), key);
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().endsWith("(generate one with: openssl rand -base64 32)"), e.getMessage());
        assertFalse(e.getMessage().contains(key), "the key is quoted: " + e.getMessage());
    }
}
