package io.loginetl.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.loginetl.vault.VaultKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Masks {@code ip} and {@code device_id} with HMAC-SHA-256, each field under its own subkey of the masking key
 * (HKDF-SHA-256, info {@code login-etl mask ip} and {@code login-etl mask device_id}): the same input in the same
 * field gives the same 64-character hex text on every run and instance (analysts can join and count duplicates),
 * equal values in different fields give unrelated masks, and without the key nobody can test guesses, which is what
 * defeats brute force over the small IPv4 space.
 * <p>
 * As a {@link Processor} it replaces the raw {@code ip} and {@code device_id} of a login row with
 * {@code masked_ip} and {@code masked_device_id}; null stays null. With a vault it also seals each original under
 * the vault key ({@code vault_ip}, {@code vault_device_id}, {@code vault_key_id}), for the vault table.
 */
public final class PiiMasker implements Processor {

    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> ipMac;
    private final ThreadLocal<Mac> deviceIdMac;
    private final VaultKeys vault;

    public PiiMasker(byte[] key) {
        this(key, null);
    }

    /**
     * @param key   the masking key's bytes (at least 32; {@link io.loginetl.vault.RandomKeys} checks they are random)
     * @param vault the vault's keys, or null to keep no recoverable originals
     */
    public PiiMasker(byte[] key, VaultKeys vault) {
        this.vault = vault;
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the masking key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.ipMac = mac(Hkdf.subkey(key, "login-etl mask ip"));
        this.deviceIdMac = mac(Hkdf.subkey(key, "login-etl mask device_id"));
    }

    private static ThreadLocal<Mac> mac(byte[] subkey) {
        SecretKeySpec spec = new SecretKeySpec(subkey, ALGORITHM);
        return ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    /** The masked text of an ip, or null for null. */
    public String maskIp(String ip) {
        return mask(ipMac, ip);
    }

    /** The masked text of a device id, or null for null. */
    public String maskDeviceId(String deviceId) {
        return mask(deviceIdMac, deviceId);
    }

    private static String mask(ThreadLocal<Mac> mac, String value) {
        if (value == null) {
            return null;
        }
        return HexFormat.of().formatHex(mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        maskRow(exchange.getMessage().getMandatoryBody(Map.class));
    }

    /** Replaces the row's raw ip and device id with their masks (and sealed originals, with a vault). */
    public void maskRow(Map<String, Object> row) {
        String ip = (String) row.remove("ip");
        String deviceId = (String) row.remove("device_id");
        String maskedIp = maskIp(ip);
        String maskedDeviceId = maskDeviceId(deviceId);
        row.put("masked_ip", maskedIp);
        row.put("masked_device_id", maskedDeviceId);
        row.put("vault_key_id", vault == null ? null : vault.newestId());
        row.put("vault_ip", seal(maskedIp, ip));
        row.put("vault_device_id", seal(maskedDeviceId, deviceId));
    }

    private byte[] seal(String masked, String original) {
        return vault == null || original == null ? null : vault.seal(masked, original);
    }
}
