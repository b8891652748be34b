package com.fecify.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret (the store's token, the sessions' client secret), from configuration or from a mounted secret file. A file is checked (one {@code stat}) on every
 * call and re-read when it changed, so a rotated secret is used from the next request on. A file that turns empty
 * or unreadable keeps the last good token and is reported in the log (never the token itself).
 */
public final class SecretSource {

    private static final Logger log = LoggerFactory.getLogger(SecretSource.class);

    private final @Nullable Path file;
    private final String setting;
    private volatile Snapshot snapshot;
    private volatile @Nullable Object lastFailedVersion;

    private record Snapshot(String token, @Nullable Object version) {}

    private SecretSource(@Nullable Path file, String setting, Snapshot snapshot) {
        this.file = file;
        this.setting = setting;
        this.snapshot = snapshot;
    }

    public static SecretSource fixed(String secret) {
        return new SecretSource(null, "", new Snapshot(secret.strip(), null));
    }

    /** @param setting the file's setting as start-up names it, e.g. {@code FECIFY_ACCESS_TOKEN_FILE (fecify.access-token-file)} */
    public static SecretSource fromFile(Path file, String setting) {
        try {
            Object version = version(file);
            String token = read(file);
            if (token.isEmpty()) {
                throw new InvalidConfigurationException(List.of(setting + " names an empty file: " + file));
            }
            return new SecretSource(file, setting, new Snapshot(token, version));
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of(
                    setting + " cannot be read: " + file + " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** The secret to use now. */
    public String current() {
        Path path = file;
        if (path == null) {
            return snapshot.token();
        }
        Snapshot known = snapshot;
        try {
            Object version = version(path);
            if (Objects.equals(version, known.version()) || Objects.equals(version, lastFailedVersion)) {
                return known.token();
            }
            String token = read(path);
            if (token.isEmpty()) {
                lastFailedVersion = version;
                log.warn("The file of {} is empty; still using the previous secret", setting);
                return known.token();
            }
            snapshot = new Snapshot(token, version);
            log.info("The file of {} changed; using the new secret from now on", setting);
            return token;
        } catch (IOException e) {
            log.warn(
                    "The file of {} cannot be read ({}); still using the previous secret",
                    setting,
                    e.getClass().getSimpleName());
            return known.token();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static Object version(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FileTime modified = attributes.lastModifiedTime();
        // Kubernetes swaps a symlinked directory; the file key (inode) changes even when the time does not.
        return List.of(modified, attributes.size(), String.valueOf(attributes.fileKey()));
    }
}
