package io.loginetl.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's keys and cipher: AES-256-GCM, a random 96-bit IV per value, the masked value as associated data
 * (a ciphertext cannot be moved to another masked value). {@code PII_VAULT_KEY} holds one or more base64 keys
 * of 32 bytes, comma-separated: the first encrypts new entries, all of them decrypt (key rotation). Each key is
 * named by its id, the first 8 hex digits of its SHA-256, so the key itself is never stored or printed.
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
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(part.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not base64 (generate one with: openssl rand -base64 32)");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException("must be base64 of 32 random bytes, not " + raw.length
                        + " (generate one with: openssl rand -base64 32)");
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

    /** IV followed by ciphertext and tag, under the newest key. */
    public byte[] seal(String masked, String original) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(newestId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(masked.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(original.getBytes(StandardCharsets.UTF_8));
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
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new GeneralSecurityException("entry is under key " + keyId + ", which PII_VAULT_KEY does not hold");
        }
        if (sealed == null || sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new javax.crypto.AEADBadTagException("entry is truncated");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        cipher.updateAAD(masked.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    static String id(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
