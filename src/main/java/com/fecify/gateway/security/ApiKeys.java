package com.fecify.gateway.security;

import com.fecify.gateway.InvalidConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The configured caller keys, held only as SHA-256 hashes. A presented key is hashed and compared with every entry
 * in constant time, so neither timing nor an early exit tells which part of a key matched.
 */
final class ApiKeys {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private record Client(String id, byte[] keyHash) {}

    private final List<Client> clients;

    private ApiKeys(List<Client> clients) {
        this.clients = List.copyOf(clients);
    }

    /**
     * Parses {@code GATEWAY_API_KEYS} entries. Problems name the entry by position and client id, never by its hash
     * (an operator may have pasted a raw key by mistake).
     */
    static ApiKeys parse(List<String> entries) {
        List<Client> clients = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        int position = 0;
        for (String raw : entries) {
            position++;
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String where = "GATEWAY_API_KEYS (gateway.api-keys) entry " + position;
            if (colon < 0) {
                problems.add(where + " is not client-id:sha256-hex-of-key");
                continue;
            }
            String id = entry.substring(0, colon).strip();
            String hash = entry.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            if (!CLIENT_ID.matcher(id).matches()) {
                problems.add(where + ": the client id must be 1 to 64 letters, digits, '.', '_' or '-'");
                continue;
            }
            if (!SHA256_HEX.matcher(hash).matches()) {
                problems.add(where + " ('" + id + "'): the hash must be 64 hexadecimal characters, the SHA-256 of"
                        + " the key (e.g. printf %s \"$KEY\" | sha256sum)");
                continue;
            }
            if (!ids.add(id)) {
                problems.add(where + ": client id '" + id + "' appears twice");
            }
            if (!hashes.add(hash)) {
                problems.add(where + " ('" + id + "'): the same key is given to another client");
            }
            clients.add(new Client(id, HexFormat.of().parseHex(hash)));
        }
        InvalidConfigurationException.throwIfAny(problems);
        return new ApiKeys(clients);
    }

    boolean isEmpty() {
        return clients.isEmpty();
    }

    int size() {
        return clients.size();
    }

    /** The client id whose key this is, or null. Looks at every entry whatever matches. */
    @Nullable
    String clientFor(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        String found = null;
        for (Client client : clients) {
            if (MessageDigest.isEqual(client.keyHash(), hash) && found == null) {
                found = client.id();
            }
        }
        return found;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
