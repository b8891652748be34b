package com.fecify.gateway.session;

import com.fecify.gateway.FilterOrders;
import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.Routes;
import com.fecify.gateway.SecretSource;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.ProblemCors;
import com.fecify.gateway.error.Violation;
import com.fecify.gateway.fields.CustomerChanges;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Browser sessions, on when {@code gateway.sessions.issuer-uri} is set: Spring Security's OAuth2 client signs the user
 * in (authorization code with PKCE, the gateway a confidential client), Spring Session keeps the session and its
 * tokens on the server, and the browser holds only the session cookie. The {@code /bff} routes are this chain's; a
 * session's use of {@code PATCH /v1/customers/{id}} is the update routes' (one more kind of caller there).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "gateway.sessions", name = "issuer-uri")
@EnableSpringHttpSession
class SessionConfiguration {

    static final String REGISTRATION = "fecify";
    static final String LOGIN = Routes.Sessions.LOGIN;
    static final String CALLBACK = Routes.Sessions.CALLBACK;
    static final String LOGOUT = Routes.Sessions.LOGOUT;

    private static final Logger log = LoggerFactory.getLogger(SessionConfiguration.class);
    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    /** The login errors a browser is sent back with, from Spring Security's error codes. */
    private static final Set<String> STATE_ERRORS =
            Set.of("authorization_request_not_found", "invalid_state_parameter");

    @Bean
    ClientRegistrationRepository sessionClients(
            SessionProperties sessions,
            @Value("${gateway.cors.allowed-origins:}") List<String> corsOrigins,
            @Value("${gateway.rate-limit.redis-url:}") String redisUrl) {
        sessions.validate(corsOrigins, redisUrl);
        ClientRegistration.Builder discovered;
        try {
            discovered = ClientRegistrations.fromIssuerLocation(sessions.issuerUri());
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(List.of("GATEWAY_SESSIONS_ISSUER_URI: cannot read the provider's"
                    + " OpenID Connect discovery document at " + sessions.issuerUri()
                    + "/.well-known/openid-configuration (" + e.getClass().getSimpleName() + ")"));
        }
        SecretSource secret = sessions.secret();
        ClientRegistration registration = discovered
                .registrationId(REGISTRATION)
                .clientId(sessions.clientId())
                .clientSecret(secret.current())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(sessions.redirectUri())
                .scope("openid")
                .build();
        log.info(
                "Browser sessions: on, provider {}, return origins {}",
                sessions.issuerUri(),
                sessions.returnOrigins(corsOrigins));
        return sessions.clientSecretFile() != null
                ? new ClientSecretFile(registration, secret)
                : new InMemoryClientRegistrationRepository(registration);
    }

    @Bean
    SessionStore sessionStore(SessionProperties sessions, @Value("${gateway.rate-limit.redis-url:}") String redisUrl) {
        return SessionStore.of(sessions, redisUrl);
    }

    @Bean
    SessionRepository<? extends Session> sessionRepository(SessionStore store) {
        return store.repository();
    }

    @Bean
    SessionEvents sessionEvents(MeterRegistry meters, SessionProperties sessions, SessionStore store) {
        return new SessionEvents(meters, sessions.store().toLowerCase(java.util.Locale.ROOT), store.active());
    }

    @Bean
    BackChannelLogout.SessionIndex sessionIndex(SessionStore store) {
        return store.index();
    }

    /**
     * The ID token's checks as Spring's own decoder factory makes them (signature RS256 with the provider's keys, {@code
     * iss}, {@code aud}, {@code exp}, {@code nonce}, the claims' types), its keys fetched within {@link ProviderCalls}'
     * limits: Spring's factory has no way to set them. Found by {@code oauth2Login} as a bean.
     */
    @Bean
    JwtDecoderFactory<ClientRegistration> idTokens() {
        Converter<Map<String, Object>, Map<String, Object>> claimTypes =
                new ClaimTypeConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverters());
        Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
        return registration -> decoders.computeIfAbsent(registration.getRegistrationId(), id -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(
                            registration.getProviderDetails().getJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .restOperations(ProviderCalls.keys())
                    .build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    new JwtTimestampValidator(), new OidcIdTokenValidator(registration)));
            decoder.setClaimSetConverter(claimTypes);
            return decoder;
        });
    }

    /** A session's tokens live in the session, on the server (never in a cookie, never in memory beside it). */
    @Bean
    OAuth2AuthorizedClientRepository sessionTokenStore() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    @Bean
    SessionTokens sessionTokens(ClientRegistrationRepository clients, OAuth2AuthorizedClientRepository tokens) {
        DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(clients, tokens);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode()
                .refreshToken(refresh -> refresh.accessTokenResponseClient(
                        ProviderCalls.tokens(new RestClientRefreshTokenTokenResponseClient())))
                .build());
        return new SessionTokens(manager, tokens, clients);
    }

    /** The back-channel logout's body read without a thread, after the size limit, on the first dispatch and the async one. */
    @Bean
    FilterRegistrationBean<BackChannelBody> backChannelBody(
            @Value("${gateway.limits.body-read-timeout:5s}") Duration timeout, ErrorResponder responder) {
        FilterRegistrationBean<BackChannelBody> registration =
                new FilterRegistrationBean<>(new BackChannelBody(timeout, responder));
        registration.setOrder(FilterOrders.BACKCHANNEL_BODY);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.addUrlPatterns(Routes.Sessions.BACKCHANNEL_LOGOUT);
        registration.setAsyncSupported(true);
        return registration;
    }

    /** {@code __Host-} cookie: HttpOnly, Secure, SameSite=Strict, Path=/, its value the session id and nothing else. */
    @Bean
    CookieSerializer sessionCookie(SessionProperties sessions) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(sessions.cookieName());
        cookie.setUseHttpOnlyCookie(true);
        cookie.setUseSecureCookie(true);
        cookie.setSameSite("Strict");
        cookie.setCookiePath("/");
        cookie.setUseBase64Encoding(false);
        return cookie;
    }

    @Bean
    @Order(1)
    SecurityFilterChain browserSessions(
            HttpSecurity http,
            SessionProperties sessions,
            @Value("${gateway.cors.allowed-origins:}") List<String> corsOrigins,
            ClientRegistrationRepository clients,
            OAuth2AuthorizedClientRepository tokens,
            SessionEvents events,
            BackChannelLogout.SessionIndex index,
            SessionStore store,
            SessionTokens sessionTokens,
            ErrorResponder responder,
            @Value("${gateway.jwt.customer-id-claim:customer_id}") String customerClaim)
            throws Exception {
        List<String> origins = sessions.returnOrigins(corsOrigins);
        SignIns signIns = new SignIns(store.signIns());
        http.securityMatcher("/bff/**")
                // Spring's CORS filter where Spring Security puts it, refusing with the gateway's 403 problem
                .cors(AbstractHttpConfigurer::disable)
                .addFilterBefore(ProblemCors.filter(browsers(corsOrigins), responder), CsrfFilter.class)
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .oauth2Login(login -> login.clientRegistrationRepository(clients)
                        .authorizedClientRepository(tokens)
                        .authorizationEndpoint(endpoint -> endpoint.baseUri(LOGIN)
                                .authorizationRequestResolver(loginRequests(clients))
                                .authorizationRequestRepository(signIns))
                        .redirectionEndpoint(endpoint -> endpoint.baseUri(CALLBACK))
                        .tokenEndpoint(token -> token.accessTokenResponseClient(
                                ProviderCalls.tokens(new RestClientAuthorizationCodeTokenResponseClient())))
                        .loginProcessingUrl(CALLBACK)
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(customers(customerClaim)))
                        .successHandler(signedIn(origins, events, index))
                        .failureHandler(notSignedIn(origins, events)))
                .logout(logout -> logout.logoutRequestMatcher(
                                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, LOGOUT))
                        .addLogoutHandler((request, response, authentication) -> {
                            if (authentication != null) {
                                sessionTokens.revoke(authentication, request);
                                audit.info("session outcome=logout caller={}", authentication.getName());
                                events.logout();
                            }
                        })
                        .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
                .addFilterBefore(new ReturnToCheck(origins, responder), OAuth2AuthorizationRequestRedirectFilter.class)
                .addFilterBefore(
                        new CsrfHeaderCheck(
                                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, LOGOUT), responder),
                        LogoutFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    /**
     * CORS for the session routes a page calls with {@code fetch} ({@code GET /bff/session}, {@code POST /bff/logout}):
     * the listed origins, with credentials (the session cookie) and the CSRF header; no origin when none is listed.
     */
    private static CorsConfigurationSource browsers(List<String> corsOrigins) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(corsOrigins.stream().map(String::strip).toList());
        config.setAllowedMethods(List.of("GET", "POST"));
        config.setAllowedHeaders(List.of("Content-Type", "X-Request-Id", Routes.Sessions.CSRF_HEADER));
        config.setExposedHeaders(List.of("X-Request-Id"));
        config.setAllowCredentials(true);
        config.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(Routes.Sessions.SESSION, config);
        source.registerCorsConfiguration(LOGOUT, config);
        return source;
    }

    /** {@code GET /bff/login}: the provider's authorization request, with PKCE (S256), state and nonce. */
    private static OAuth2AuthorizationRequestResolver loginRequests(ClientRegistrationRepository clients) {
        DefaultOAuth2AuthorizationRequestResolver resolver =
                new DefaultOAuth2AuthorizationRequestResolver(clients, LOGIN);
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                if (!request.getMethod().equals("GET") || !LOGIN.equals(request.getRequestURI())) {
                    return null;
                }
                return withReturnTo(resolver.resolve(request, REGISTRATION), request);
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                return withReturnTo(resolver.resolve(request, registrationId), request);
            }
        };
    }

    private static OAuth2AuthorizationRequest withReturnTo(
            OAuth2AuthorizationRequest authorization, HttpServletRequest request) {
        if (authorization == null) {
            return null;
        }
        Object returnTo = request.getAttribute(ReturnToCheck.ATTRIBUTE);
        return OAuth2AuthorizationRequest.from(authorization)
                .attributes(attributes -> attributes.put(SignIns.RETURN_TO, returnTo))
                .build();
    }

    /** The provider's user, who must carry the customer claim: no claim, no session. */
    private static OAuth2UserService<OidcUserRequest, OidcUser> customers(String customerClaim) {
        OidcUserService users = new OidcUserService();
        return request -> {
            OidcUser user = users.loadUser(request);
            if (CustomerChanges.customerIdClaim(user.getClaim(customerClaim)) == null) {
                throw new OAuth2AuthenticationException(new OAuth2Error("no_customer"));
            }
            return user;
        };
    }

    private static AuthenticationSuccessHandler signedIn(
            List<String> origins, SessionEvents events, BackChannelLogout.SessionIndex index) {
        return (request, response, authentication) -> {
            String returnTo = request.getAttribute(SignIns.FOUND_RETURN_TO) instanceof String found
                    ? found
                    : origins.get(0) + "/";
            HttpSession session = request.getSession();
            SessionAge.signedIn(session);
            if (authentication.getPrincipal() instanceof OidcUser user) {
                index.signedIn(session.getId(), user.getClaimAsString("sid"), user.getSubject());
            }
            audit.info("session outcome=login_ok caller={}", authentication.getName());
            events.loginOk();
            response.sendRedirect(returnTo);
        };
    }

    private static AuthenticationFailureHandler notSignedIn(List<String> origins, SessionEvents events) {
        return (request, response, exception) -> {
            String code = exception instanceof OAuth2AuthenticationException oauth
                    ? oauth.getError().getErrorCode()
                    : "invalid_token";
            String loginError;
            if (STATE_ERRORS.contains(code)) {
                loginError = "invalid_state";
            } else if (code.equals("access_denied") || code.equals("no_customer")) {
                loginError = code;
            } else {
                loginError = "invalid_token";
            }
            Object found = request.getAttribute(SignIns.FOUND_RETURN_TO);
            String returnTo =
                    found instanceof String url && !loginError.equals("invalid_state") ? url : origins.get(0) + "/";
            audit.info("session outcome=login_failed caller=- login_error={}", loginError);
            events.loginFailed();
            response.sendRedirect(UriComponentsBuilder.fromUriString(returnTo)
                    .replaceQueryParam("login_error", loginError)
                    .build()
                    .toUriString());
        };
    }

    /** {@code return_to} of {@code /bff/login}: a URL on a return origin, or the first return origin when absent. */
    static final class ReturnToCheck extends OncePerRequestFilter {

        static final String ATTRIBUTE = ReturnToCheck.class.getName();
        private final List<String> origins;
        private final ErrorResponder responder;

        ReturnToCheck(List<String> origins, ErrorResponder responder) {
            this.origins = origins;
            this.responder = responder;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !LOGIN.equals(request.getRequestURI());
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String returnTo = request.getParameter(SignIns.RETURN_TO);
            if (returnTo == null || returnTo.isEmpty()) {
                returnTo = origins.get(0) + "/";
            }
            if (!onReturnOrigin(returnTo)) {
                responder.write(
                        request,
                        response,
                        GatewayException.validation(List.of(new Violation(
                                SignIns.RETURN_TO,
                                "must be an absolute URL on one of the return origins " + origins,
                                returnTo))));
                return;
            }
            request.setAttribute(ATTRIBUTE, returnTo);
            chain.doFilter(request, response);
        }

        private boolean onReturnOrigin(String url) {
            try {
                URI uri = new URI(url);
                return uri.isAbsolute()
                        && uri.getRawAuthority() != null
                        && uri.getUserInfo() == null
                        && (uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                        && origins.contains(SessionProperties.origin(url));
            } catch (Exception e) {
                return false;
            }
        }
    }

    /** {@code POST /bff/logout}: the CSRF header, else 403 and the session goes on. */
    static final class CsrfHeaderCheck extends OncePerRequestFilter {

        private final RequestMatcher routes;
        private final ErrorResponder responder;

        CsrfHeaderCheck(RequestMatcher routes, ErrorResponder responder) {
            this.routes = routes;
            this.responder = responder;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !routes.matches(request);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!CsrfHeader.carried(request)) {
                responder.write(request, response, CsrfHeader.missing());
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
