package com.fecify.gateway.session;

import com.fecify.gateway.SecretSource;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * The gateway's client at the provider, its secret from {@code gateway.sessions.client-secret-file} as the store's
 * token is read from its file ({@link SecretSource}: re-read when it changes, a file that turns empty or unreadable
 * keeps the last secret): sign-ins, refreshes and revocations made after a rotation use the new secret.
 */
final class ClientSecretFile implements ClientRegistrationRepository, Iterable<ClientRegistration> {

    private final SecretSource secret;
    private volatile ClientRegistration current;

    ClientSecretFile(ClientRegistration registration, SecretSource secret) {
        this.secret = secret;
        this.current = registration;
    }

    @Override
    public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
        return registrationId.equals(current.getRegistrationId()) ? current() : null;
    }

    @Override
    public Iterator<ClientRegistration> iterator() {
        return List.of(current()).iterator();
    }

    private ClientRegistration current() {
        String now = secret.current();
        ClientRegistration known = current;
        if (now.equals(known.getClientSecret())) {
            return known;
        }
        ClientRegistration rotated = ClientRegistration.withClientRegistration(known)
                .clientSecret(now)
                .build();
        current = rotated;
        return rotated;
    }
}
