package io.loginetl.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's keys and cipher: AES-256-GCM, a random 96-bit IV per value, the masked value as associated data
 * (a ciphertext cannot be moved to another masked value). The original is padded before it is sealed (its UTF-8
 * length in two bytes, the bytes, zeros up to 64 bytes or the next power of two), so every original of up to 62
 * bytes, any ip and the usual device ids, seals to the same 92 bytes. Entries sealed before padding (format 1,
 * the masked value alone as associated data) still open; {@code rekey} re-seals them padded.
 * <p>
 * {@code PII_VAULT_KEY} holds one or more keys, comma-separated, each base64 of 32 random bytes
 * ({@link RandomKeys}; keys after the first, which only decrypt, need only be base64 of 32 bytes): the first encrypts
 * new entries, all of them decrypt (key rotation). Each key is named by its
 * id, the first 8 hex digits of its SHA-256, so the key itself is never stored or printed.
 */
public final class VaultKeys {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> keys;
    private final String newestId;

    private VaultKeys(Map<String, SecretKey> keys, String newestId) {
        this.keys = keys;
        this.newestId = newestId;
    }

    /** Parses {@code PII_VAULT_KEY}; throws IllegalArgumentException naming what is wrong (never the key). */
    public static VaultKeys parse(String setting) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String newest = null;
        for (String part : setting.split(",")) {
            // the first key encrypts and must be random; older ones only decrypt until rekey has moved their entries,
            // so a weak key of a release that took any 32 bytes can still be rotated out
            byte[] raw = newest == null ? RandomKeys.decode(part) : RandomKeys.decodeBase64(part);
            if (raw.length != 32) {
                throw new IllegalArgumentException("must be base64 of exactly 32 random bytes (AES-256), not " + raw.length
                        + " (" + RandomKeys.MAKE_ONE + ")");
            }
            String id = id(raw);
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("lists the same key twice (key " + id + ")");
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
            newest = newest == null ? id : newest;
        }
        return new VaultKeys(keys, newest);
    }

    public String newestId() {
        return newestId;
    }

    public boolean holds(String keyId) {
        return keys.containsKey(keyId);
    }

    /** IV followed by ciphertext and tag of the padded original, under the newest key. */
    public byte[] seal(String masked, String original) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(newestId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(masked, true));
            byte[] sealed = cipher.doFinal(pad(original.getBytes(StandardCharsets.UTF_8)));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The original, or an exception when the key is not held or the entry does not verify (wrong key, tampering). */
    public String open(String masked, String keyId, byte[] sealed) throws GeneralSecurityException {
        return unseal(masked, keyId, sealed).original();
    }

    /** An opened entry: its original, and whether it is in the current format (padded) or must be re-sealed. */
    public record Opened(String original, boolean current) {
    }

    /** Opens an entry of either format; throws as {@link #open} does. */
    public Opened unseal(String masked, String keyId, byte[] sealed) throws GeneralSecurityException {
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new GeneralSecurityException("entry is under key " + keyId + ", which PII_VAULT_KEY does not hold");
        }
        if (sealed == null || sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("entry is truncated");
        }
        try {
            return new Opened(new String(unpad(decrypt(key, masked, sealed, true)), StandardCharsets.UTF_8), true);
        } catch (AEADBadTagException padded) {
            try {
                return new Opened(new String(decrypt(key, masked, sealed, false), StandardCharsets.UTF_8), false);
            } catch (AEADBadTagException unpadded) {
                throw padded;
            }
        }
    }

    private static byte[] decrypt(SecretKey key, String masked, byte[] sealed, boolean padded) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        cipher.updateAAD(associatedData(masked, padded));
        return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    }

    /** Format 2 (padded) binds its format too, so an entry opens under exactly one of the two. */
    private static byte[] associatedData(String masked, boolean padded) {
        return (padded ? "login-etl vault 2 " + masked : masked).getBytes(StandardCharsets.UTF_8);
    }

    /** The length in two bytes, the bytes, then zeros up to 64 bytes or the next power of two. */
    static byte[] pad(byte[] original) {
        if (original.length > 0xffff - 2) {
            throw new IllegalArgumentException("an original of " + original.length + " bytes is too long for the vault");
        }
        int size = Math.max(64, Integer.highestOneBit(original.length + 2 - 1) << 1);
        byte[] padded = new byte[size];
        padded[0] = (byte) (original.length >>> 8);
        padded[1] = (byte) original.length;
        System.arraycopy(original, 0, padded, 2, original.length);
        return padded;
    }

    static byte[] unpad(byte[] padded) throws AEADBadTagException {
        int length = padded.length < 2 ? -1 : ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
        if (length < 0 || length > padded.length - 2) {
            throw new AEADBadTagException("entry's padding is malformed");
        }
        return Arrays.copyOfRange(padded, 2, 2 + length);
    }

    static String id(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
