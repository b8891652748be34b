package com.fecify.gateway.session;

import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.session.SessionRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /bff/backchannel-logout}: OpenID Connect Back-Channel Logout 1.0. The provider posts a {@code
 * logout_token}, signed with its keys, for the gateway's client; it ends the sessions of its {@code sid} (or, without
 * one, every session of its {@code sub}). Anything else is refused with 400 and ends nothing.
 */
@RestController
@ConditionalOnProperty(prefix = "gateway.sessions", name = "issuer-uri")
class BackChannelLogout {

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    private final JwtDecoder logoutTokens;
    private final SessionIndex index;
    private final SessionRepository<?> sessions;
    private final SessionEvents events;

    BackChannelLogout(
            ClientRegistrationRepository clients,
            SessionIndex index,
            SessionRepository<?> sessions,
            SessionEvents events) {
        ClientRegistration registration = clients.findByRegistrationId(SessionConfiguration.REGISTRATION);
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(
                        registration.getProviderDetails().getJwkSetUri())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .restOperations(ProviderCalls.keys())
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(),
                new JwtIssuerValidator(registration.getProviderDetails().getIssuerUri()),
                logoutToken(registration.getClientId())));
        this.logoutTokens = decoder;
        this.index = index;
        this.sessions = sessions;
        this.events = events;
    }

    @PostMapping(Routes.Sessions.BACKCHANNEL_LOGOUT)
    void logout(@RequestParam(name = "logout_token", required = false) @Nullable String logoutToken) {
        Jwt token;
        try {
            if (logoutToken == null) {
                throw new JwtException("no logout_token");
            }
            token = logoutTokens.decode(logoutToken);
        } catch (JwtException e) {
            throw new GatewayException(
                    ErrorCode.BAD_REQUEST, "Not a valid logout_token of this gateway's identity provider.");
        }
        String sid = token.getClaimAsString("sid");
        Set<String> ended = sid != null ? index.takeBySid(sid) : index.takeBySubject(token.getSubject());
        ended.forEach(sessions::deleteById);
        audit.info(
                "session outcome=backchannel_logout caller={} sessions={}",
                token.getSubject() == null ? "unknown" : token.getSubject(),
                ended.size());
        events.backChannelLogout();
    }

    /** What makes a JWT a logout token for this client (Back-Channel Logout 1.0, section 2.6). */
    private static OAuth2TokenValidator<Jwt> logoutToken(String clientId) {
        return jwt -> {
            List<String> audience = jwt.getAudience();
            boolean ours = audience != null && audience.contains(clientId);
            boolean event = jwt.getClaim("events") instanceof Map<?, ?> logoutEvents && logoutEvents.containsKey(EVENT);
            boolean who = jwt.getClaimAsString("sid") != null || jwt.getSubject() != null;
            boolean noNonce = !jwt.hasClaim("nonce");
            boolean issued = jwt.getIssuedAt() != null;
            return ours && event && who && noNonce && issued
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"));
        };
    }

    /** Which sessions belong to which provider session ({@code sid}) and user ({@code sub}). */
    interface SessionIndex {

        void signedIn(String sessionId, @Nullable String sid, @Nullable String subject);

        Set<String> takeBySid(String sid);

        Set<String> takeBySubject(@Nullable String subject);

        /** This instance's index; entries of sessions that have ended are dropped at each sign-in. */
        static SessionIndex inMemory(Map<String, ?> live) {
            Map<String, Set<String>> bySid = new ConcurrentHashMap<>();
            Map<String, Set<String>> bySubject = new ConcurrentHashMap<>();
            return new SessionIndex() {
                @Override
                public void signedIn(String sessionId, @Nullable String sid, @Nullable String subject) {
                    for (Map<String, Set<String>> index : List.of(bySid, bySubject)) {
                        index.values().forEach(ids -> ids.retainAll(live.keySet()));
                        index.values().removeIf(Set::isEmpty);
                    }
                    if (sid != null) {
                        bySid.computeIfAbsent(sid, key -> ConcurrentHashMap.newKeySet())
                                .add(sessionId);
                    }
                    if (subject != null) {
                        bySubject
                                .computeIfAbsent(subject, key -> ConcurrentHashMap.newKeySet())
                                .add(sessionId);
                    }
                }

                @Override
                public Set<String> takeBySid(String sid) {
                    Set<String> ids = bySid.remove(sid);
                    return ids == null ? Set.of() : Set.copyOf(ids);
                }

                @Override
                public Set<String> takeBySubject(@Nullable String subject) {
                    Set<String> ids = subject == null ? null : bySubject.remove(subject);
                    return ids == null ? Set.of() : Set.copyOf(ids);
                }
            };
        }

        /** The index in Redis, beside the sessions, so a logout reaches every replica: sets that expire with them. */
        static SessionIndex inRedis(RedisOperations<String, Object> redis, String namespace, Duration maxAge) {
            return new SessionIndex() {
                @Override
                public void signedIn(String sessionId, @Nullable String sid, @Nullable String subject) {
                    if (sid != null) {
                        add(namespace + "sid:" + sid, sessionId);
                    }
                    if (subject != null) {
                        add(namespace + "sub:" + subject, sessionId);
                    }
                }

                private void add(String key, String sessionId) {
                    redis.opsForSet().add(key, sessionId);
                    redis.expire(key, maxAge);
                }

                @Override
                public Set<String> takeBySid(String sid) {
                    return take(namespace + "sid:" + sid);
                }

                @Override
                public Set<String> takeBySubject(@Nullable String subject) {
                    return subject == null ? Set.of() : take(namespace + "sub:" + subject);
                }

                private Set<String> take(String key) {
                    Set<Object> ids = redis.opsForSet().members(key);
                    redis.delete(key);
                    return ids == null
                            ? Set.of()
                            : ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
                }
            };
        }
    }
}
