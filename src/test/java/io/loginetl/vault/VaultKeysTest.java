package io.loginetl.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class VaultKeysTest {

    static final String K1 = "rYfzMeEHs9HmKINswBF0MdaP1xnQOH/fnsLEC0LiFAI=";
    static final String K2 = "SujglKb/ZEeemS5j1F3uxTQQN8118NZeFVgacFfE1aM=";

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
                () -> VaultKeys.parse("Pnrqy2nIlTVDrw1Fv5wZrw=="));
        assertTrue(shortKey.getMessage().startsWith("is base64 of 16 bytes; it must be base64 of at least 32 random bytes"),
                shortKey.getMessage());
        IllegalArgumentException longKey = assertThrows(IllegalArgumentException.class,
                () -> VaultKeys.parse("Pnrqy2nIlTVDrw1Fv5wZr+dEh1dr+1yXoW0TiQ7P53SNB/Cr0vvNwDR0U3wERxn8"));
        assertTrue(longKey.getMessage().startsWith("must be base64 of exactly 32 random bytes (AES-256), not 48"), longKey.getMessage());
        IllegalArgumentException pattern = assertThrows(IllegalArgumentException.class,
                () -> VaultKeys.parse(Base64.getEncoder().encodeToString(filled(1))));
        assertTrue(pattern.getMessage().startsWith("repeats a pattern of 1 byte"), pattern.getMessage());
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class, () -> VaultKeys.parse("not base64 $$$"));
        assertFalse(notBase64.getMessage().contains("$$$"));
    }

    @Test
    void aWeakOldKeyAfterTheFirstStillDecryptsSoItCanBeRotatedOut() throws Exception {
        String weak = Base64.getEncoder().encodeToString(filled(1)); // refused as the first key (above)
        VaultKeys rotating = VaultKeys.parse(K1 + "," + weak);
        assertEquals(VaultKeys.parse(K1).newestId(), rotating.newestId());
        assertTrue(rotating.holds(VaultKeys.id(filled(1))));
    }

    @Test
    void everyOriginalOfUpTo62BytesSealsToTheSameLengthAndLongerOnesToPowersOfTwo() throws Exception {
        VaultKeys keys = VaultKeys.parse(K1);
        for (String original : new String[] {"", "1.2.3.4", "199.172.111.135", "2001:db8:85a3::8a2e:370:7334", "x".repeat(62)}) {
            byte[] sealed = keys.seal("m", original);
            assertEquals(12 + 64 + 16, sealed.length, original);
            assertEquals(original, keys.open("m", keys.newestId(), sealed));
        }
        assertEquals(12 + 128 + 16, keys.seal("m", "x".repeat(63)).length);
        assertEquals(12 + 1024 + 16, keys.seal("m", "\u00e9".repeat(256)).length, "256 two-byte characters");
    }

    @Test
    void entriesSealedBeforePaddingStillOpenAndAreMarkedForRekey() throws Exception {
        VaultKeys keys = VaultKeys.parse(K1);
        // format 1, as the previous release wrote it: IV || AES-GCM(original) with the masked value as associated data
        byte[] iv = new byte[12];
        iv[0] = 9;
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(K1), "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD("m1".getBytes(StandardCharsets.UTF_8));
        byte[] body = cipher.doFinal("10.0.0.1".getBytes(StandardCharsets.UTF_8));
        byte[] old = new byte[12 + body.length];
        System.arraycopy(iv, 0, old, 0, 12);
        System.arraycopy(body, 0, old, 12, body.length);

        assertEquals(new VaultKeys.Opened("10.0.0.1", false), keys.unseal("m1", keys.newestId(), old));
        assertEquals(new VaultKeys.Opened("10.0.0.1", true), keys.unseal("m1", keys.newestId(), keys.seal("m1", "10.0.0.1")));
        assertThrows(GeneralSecurityException.class, () -> keys.unseal("m2", keys.newestId(), old));
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
        assertEquals(32, Base64.getDecoder().decode(K1).length);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
