package com.fecify.gateway.security;

import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.fields.UpdateFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The configured service clients, their keys held only as SHA-256 hashes. A presented key is hashed and compared
 * with every entry in constant time, so neither timing nor an early exit tells which part of a key matched.
 */
final class ApiKeys {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** One service client: its id, key hash, the fields it may send (null: all) and its rate. */
    record ServiceClient(
            String id, byte[] keyHash, @Nullable Set<String> fields, double ratePerSecond) {}

    private final List<ServiceClient> clients;

    private ApiKeys(List<ServiceClient> clients) {
        this.clients = List.copyOf(clients);
    }

    /**
     * Reads {@code GATEWAY_API_KEYS} and {@code gateway.clients}. Problems name the entry by position or client id,
     * never by its hash (an operator may have pasted a raw key by mistake).
     */
    static ApiKeys parse(
            List<String> shorthand, Map<String, GatewaySecurityProperties.Client> described, double defaultRate) {
        List<String> problems = new ArrayList<>();
        List<ServiceClient> clients = new ArrayList<>();
        Map<String, String> ownerOfHash = new HashMap<>();
        int position = 0;
        for (String raw : shorthand) {
            position++;
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String where = "GATEWAY_API_KEYS (gateway.api-keys) entry " + position;
            int colon = entry.indexOf(':');
            if (colon < 0) {
                problems.add(where + " is not client-id:sha256-hex-of-key");
                continue;
            }
            add(
                    entry.substring(0, colon).strip(),
                    entry.substring(colon + 1),
                    null,
                    defaultRate,
                    where,
                    clients,
                    ownerOfHash,
                    problems);
        }
        described.forEach((id, client) -> {
            String where = "gateway.clients." + id;
            if (client.keySha256() == null || client.keySha256().isBlank()) {
                problems.add(where + ".key-sha256 is not set");
                return;
            }
            Set<String> fields = null;
            if (client.fields() != null) {
                fields = new LinkedHashSet<>();
                for (String field : client.fields()) {
                    if (!UpdateFields.names().contains(field.strip())) {
                        problems.add(where + ".fields names '" + field.strip() + "', which is not an updatable field ("
                                + UpdateFields.ALL_NAMES + ")");
                    }
                    fields.add(field.strip());
                }
            }
            double rate = client.ratePerSecond() == null ? defaultRate : client.ratePerSecond();
            add(id, client.keySha256(), fields, rate, where, clients, ownerOfHash, problems);
        });
        InvalidConfigurationException.throwIfAny(problems);
        return new ApiKeys(clients);
    }

    private static void add(
            String id,
            String rawHash,
            @Nullable Set<String> fields,
            double rate,
            String where,
            List<ServiceClient> clients,
            Map<String, String> ownerOfHash,
            List<String> problems) {
        String hash = rawHash.strip().toLowerCase(Locale.ROOT);
        if (!CLIENT_ID.matcher(id).matches()) {
            problems.add(where + ": the client id must be 1 to 64 letters, digits, '.', '_' or '-'");
            return;
        }
        if (!SHA256_HEX.matcher(hash).matches()) {
            problems.add(where + " ('" + id + "'): the hash must be 64 hexadecimal characters, the SHA-256 of the key"
                    + " (printf %s \"$KEY\" | sha256sum)");
            return;
        }
        if (!(rate > 0)) {
            problems.add(where + " ('" + id + "'): the rate per second must be above 0");
            return;
        }
        if (clients.stream().anyMatch(client -> client.id().equals(id))) {
            problems.add(where + ": client id '" + id + "' is configured twice");
            return;
        }
        String owner = ownerOfHash.putIfAbsent(hash, id);
        if (owner != null) {
            problems.add(where + " ('" + id + "'): the same key is already given to client '" + owner + "'");
            return;
        }
        clients.add(new ServiceClient(id, HexFormat.of().parseHex(hash), fields, rate));
    }

    boolean isEmpty() {
        return clients.isEmpty();
    }

    int size() {
        return clients.size();
    }

    /** The client whose key this is, or null. Looks at every entry whatever matches. */
    @Nullable
    ServiceClient clientFor(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        ServiceClient found = null;
        for (ServiceClient client : clients) {
            if (MessageDigest.isEqual(client.keyHash(), hash) && found == null) {
                found = client;
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
