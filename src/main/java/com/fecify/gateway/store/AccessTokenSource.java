package com.fecify.gateway.store;

import com.fecify.gateway.InvalidConfigurationException;
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
 * The store token, from configuration or from a mounted secret file. A file is checked (one {@code stat}) on every
 * call and re-read when it changed, so a rotated secret is used from the next request on. A file that turns empty
 * or unreadable keeps the last good token and is reported in the log (never the token itself).
 */
final class AccessTokenSource {

    private static final Logger log = LoggerFactory.getLogger(AccessTokenSource.class);

    private final @Nullable Path file;
    private volatile Snapshot snapshot;
    private volatile @Nullable Object lastFailedVersion;

    private record Snapshot(String token, @Nullable Object version) {}

    private AccessTokenSource(@Nullable Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    static AccessTokenSource fixed(String token) {
        return new AccessTokenSource(null, new Snapshot(token.strip(), null));
    }

    static AccessTokenSource fromFile(Path file) {
        try {
            Object version = version(file);
            String token = read(file);
            if (token.isEmpty()) {
                throw new InvalidConfigurationException(
                        List.of("FECIFY_ACCESS_TOKEN_FILE (fecify.access-token-file) names an empty file: " + file));
            }
            return new AccessTokenSource(file, new Snapshot(token, version));
        } catch (IOException e) {
            throw new InvalidConfigurationException(
                    List.of("FECIFY_ACCESS_TOKEN_FILE (fecify.access-token-file) cannot be read: " + file + " ("
                            + e.getClass().getSimpleName() + ")"));
        }
    }

    /** The token to send now. */
    String current() {
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
                log.warn("The token file {} is empty; still using the previous token", path);
                return known.token();
            }
            snapshot = new Snapshot(token, version);
            log.info("The token file {} changed; using the new token from now on", path);
            return token;
        } catch (IOException e) {
            log.warn(
                    "The token file {} cannot be read ({}); still using the previous token",
                    path,
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
