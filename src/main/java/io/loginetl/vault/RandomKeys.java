package io.loginetl.vault;

import java.util.Base64;

/**
 * Keys given as text ({@code PII_MASKING_KEY}, {@code PII_VAULT_KEY}): base64 of at least 32 random bytes, as
 * {@code openssl rand -base64 32} prints. What cannot be random is refused, so a passphrase or a placeholder never
 * becomes a key: text that is not base64, bytes that are all printable characters (a passphrase encoded), a
 * repeated pattern, or too few distinct byte values. Random bytes pass each check except with a probability below
 * 10^-13 (all printable: (95/256)^32).
 */
public final class RandomKeys {

    public static final int MIN_BYTES = 32;
    public static final String MAKE_ONE = "generate one with: openssl rand -base64 32";

    private RandomKeys() {
    }

    /** The key's bytes; an IllegalArgumentException saying what is wrong (never the key) and how to make a good one. */
    public static byte[] decode(String text) {
        byte[] key = decodeBase64(text);
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("is base64 of " + key.length + " bytes; it must be base64 of at least "
                    + MIN_BYTES + " random bytes (" + MAKE_ONE + ")");
        }
        String weakness = weakness(key);
        if (weakness != null) {
            throw new IllegalArgumentException(weakness + ", not random bytes (" + MAKE_ONE + ")");
        }
        return key;
    }

    /**
     * The bytes of base64 text, unchecked for randomness: for an old key that only decrypts while it is rotated
     * out, which must still be usable whatever it was.
     */
    public static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64 (" + MAKE_ONE + ")");
        }
    }

    /** Why {@code key} cannot be random bytes, or null. */
    static String weakness(byte[] key) {
        boolean printable = true;
        for (byte b : key) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        if (printable) {
            return "decodes to printable text (a passphrase in base64)";
        }
        for (int period = 1; period <= key.length / 2; period++) {
            if (repeats(key, period)) {
                return "repeats a pattern of " + period + (period == 1 ? " byte" : " bytes");
            }
        }
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (byte b : key) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                distinct++;
            }
        }
        int expected = Math.min(key.length / 2, 64); // 32 random bytes hold about 30 distinct values
        if (distinct < expected) {
            return "holds only " + distinct + " distinct byte values in " + key.length;
        }
        return null;
    }

    private static boolean repeats(byte[] key, int period) {
        for (int i = period; i < key.length; i++) {
            if (key[i] != key[i - period]) {
                return false;
            }
        }
        return true;
    }
}
