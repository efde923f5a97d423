package io.loginetl.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class VaultKeysTest {

    static final String K1 = Base64.getEncoder().encodeToString(filled(1));
    static final String K2 = Base64.getEncoder().encodeToString(filled(2));

    @Test
    void sealsAndOpensUnderTheSameKey() throws Exception {
        VaultKeys keys = VaultKeys.parse(K1);
        byte[] sealed = keys.seal("m1", "199.172.111.135");
        assertEquals("199.172.111.135", keys.open("m1", keys.newestId(), sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("199.172"), "plaintext in the ciphertext");
    }

    @Test
    void everySealHasItsOwnIv() {
        VaultKeys keys = VaultKeys.parse(K1);
        byte[] a = keys.seal("m1", "10.0.0.1");
        byte[] b = keys.seal("m1", "10.0.0.1");
        assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
    }

    @Test
    void aWrongKeyOpensNothing() {
        byte[] sealed = VaultKeys.parse(K1).seal("m1", "10.0.0.1");
        VaultKeys other = VaultKeys.parse(K2);
        // under its own id the other key is not held at all ...
        assertThrows(GeneralSecurityException.class, () -> other.open("m1", VaultKeys.parse(K1).newestId(), sealed));
        // ... and forced to try, authentication fails
        assertThrows(GeneralSecurityException.class, () -> other.open("m1", other.newestId(), sealed));
    }

    @Test
    void aCiphertextCannotBeMovedToAnotherMaskedValueOrAltered() {
        VaultKeys keys = VaultKeys.parse(K1);
        byte[] sealed = keys.seal("m1", "10.0.0.1");
        assertThrows(GeneralSecurityException.class, () -> keys.open("m2", keys.newestId(), sealed));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> keys.open("m1", keys.newestId(), tampered));
    }

    @Test
    void theFirstKeyEncryptsAndOlderKeysStillDecrypt() throws Exception {
        VaultKeys old = VaultKeys.parse(K1);
        byte[] sealedOld = old.seal("m1", "10.0.0.1");
        VaultKeys rotated = VaultKeys.parse(K2 + "," + K1);

        assertEquals(VaultKeys.parse(K2).newestId(), rotated.newestId());
        assertEquals("10.0.0.1", rotated.open("m1", old.newestId(), sealedOld));
        assertTrue(rotated.holds(old.newestId()));
    }

    @Test
    void badKeysAreRefusedWithoutQuotingThem() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> VaultKeys.parse(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().startsWith("must be base64 of 32 random bytes, not 16"));
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class, () -> VaultKeys.parse("not base64 $$$"));
        assertFalse(notBase64.getMessage().contains("$$$"));
    }

    @Test
    void aTruncatedEntryIsRefusedLikeATamperedOne() {
        VaultKeys keys = VaultKeys.parse(K1);
        assertThrows(GeneralSecurityException.class, () -> keys.open("m1", keys.newestId(), new byte[20]));
    }

    @Test
    void theSameKeyListedTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaultKeys.parse(K1 + "," + K1));
        assertTrue(e.getMessage().startsWith("lists the same key twice"));
    }

    @Test
    void theKeyIdIsAFingerprintNotTheKey() {
        String id = VaultKeys.parse(K1).newestId();
        assertEquals(8, id.length());
        assertFalse(K1.contains(id));
        assertArrayEquals(filled(1), Base64.getDecoder().decode(K1));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
