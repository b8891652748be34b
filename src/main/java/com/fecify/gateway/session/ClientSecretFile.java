package com.fecify.gateway.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * The gateway's client at the provider, its secret re-read from {@code gateway.sessions.client-secret-file} when the
 * file changes (a rotated mounted secret), as the store's token is: sign-ins, refreshes and revocations made after
 * the change use the new secret. A file that cannot be read keeps the last secret and says so once in the log.
 */
final class ClientSecretFile implements ClientRegistrationRepository, Iterable<ClientRegistration> {

    private static final Logger log = LoggerFactory.getLogger(ClientSecretFile.class);

    private final Path file;
    private volatile ClientRegistration current;
    private volatile String stamp;

    ClientSecretFile(ClientRegistration registration, Path file) {
        this.file = file;
        this.current = registration;
        this.stamp = stamp();
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        return registrationId.equals(current.getRegistrationId()) ? current() : null;
    }

    @Override
    public Iterator<ClientRegistration> iterator() {
        return List.of(current()).iterator();
    }

    private ClientRegistration current() {
        String now = stamp();
        if (!now.equals(stamp)) {
            synchronized (this) {
                if (!now.equals(stamp)) {
                    try {
                        String secret = Files.readString(file).strip();
                        current = ClientRegistration.withClientRegistration(current)
                                .clientSecret(secret)
                                .build();
                        log.info("gateway.sessions.client-secret-file changed: the new secret is in use");
                    } catch (IOException e) {
                        log.warn(
                                "gateway.sessions.client-secret-file cannot be read ({}); the last secret stays",
                                e.getClass().getSimpleName());
                    }
                    stamp = now;
                }
            }
        }
        return current;
    }

    private String stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime() + "/" + attributes.size();
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
