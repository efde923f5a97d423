package io.loginetl.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA-256 (RFC 5869): one secret, independent subkeys, one per purpose named by {@code info}. */
final class Hkdf {

    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /** {@code length} bytes of HKDF-Expand(HKDF-Extract(salt, ikm), info); an empty salt stands for 32 zero bytes. */
    static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA-256 gives 1 to 8,160 bytes, not " + length);
        }
        byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
        byte[] okm = new byte[length];
        byte[] block = new byte[0];
        for (int i = 1, done = 0; done < length; i++) {
            byte[] input = new byte[block.length + info.length + 1];
            System.arraycopy(block, 0, input, 0, block.length);
            System.arraycopy(info, 0, input, block.length, info.length);
            input[input.length - 1] = (byte) i;
            block = hmac(prk, input);
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, okm, done, n);
            done += n;
        }
        return okm;
    }

    /** A 32-byte subkey of {@code key} for one purpose (no salt). */
    static byte[] subkey(byte[] key, String purpose) {
        return derive(new byte[0], key, purpose.getBytes(StandardCharsets.UTF_8), HASH_LENGTH);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
