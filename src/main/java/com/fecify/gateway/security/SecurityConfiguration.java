package com.fecify.gateway.security;

import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.fields.UpdateFields;
import com.fecify.gateway.session.SessionProperties;
import com.fecify.gateway.session.SessionTokens;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.CorsFilter;

/**
 * Deny by default on the update routes: they need a known caller key or a valid JWT (unless {@code GATEWAY_AUTH=none}).
 * Other paths need no credentials because they do nothing: they answer 404/405, and the Actuator lives on its own
 * port.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** {@code POST /v1/customers/batch}: many updates, paced by the gateway. */
    static final RequestMatcher BATCH_ROUTE = matcher(Routes.Update.BATCH_UPDATE);

    /** Every update route of {@link Routes}. */
    static final RequestMatcher UPDATE_ROUTES = new OrRequestMatcher(Arrays.stream(Routes.Update.values())
            .map(SecurityConfiguration::matcher)
            .toList());

    private static RequestMatcher matcher(Routes.Update route) {
        return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.valueOf(route.method()), route.path());
    }

    @Bean
    ApiKeys apiKeys(GatewaySecurityProperties properties) {
        if (!(properties.rateLimit().perSecond() > 0)) {
            throw new InvalidConfigurationException(
                    List.of("gateway.rate-limit.per-second must be above 0 (updates per second per caller)"));
        }
        ApiKeys keys = ApiKeys.parse(
                properties.apiKeys(),
                properties.clients(),
                properties.rateLimit().perSecond());
        List<String> unknown = properties.jwt().fields().stream()
                .filter(field -> !UpdateFields.names().contains(field.strip()))
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidConfigurationException(List.of("gateway.jwt.fields names " + unknown
                    + ", which are not updatable fields (" + UpdateFields.ALL_NAMES + ")"));
        }
        boolean apiKeyMode = properties.auth() == GatewaySecurityProperties.AuthMode.API_KEY;
        if (apiKeyMode && keys.isEmpty() && !properties.jwt().enabled()) {
            throw new InvalidConfigurationException(List.of("GATEWAY_API_KEYS (gateway.api-keys) is empty while"
                    + " GATEWAY_AUTH=api-key: add client-id:sha256-hex-of-key entries (or gateway.clients, or"
                    + " gateway.jwt.issuer-uri / jwk-set-uri for end users), or set GATEWAY_AUTH=none"));
        }
        if (!apiKeyMode) {
            log.warn("GATEWAY_AUTH=none: caller authentication is OFF. Anyone who reaches this port can change"
                    + " customers of the store. Use it only behind another authenticating proxy.");
        } else {
            log.info(
                    "Caller authentication: {} service client(s) by API key; end users by JWT: {}",
                    keys.size(),
                    properties.jwt().enabled() ? "on" : "off");
        }
        return keys;
    }

    /** Declared as a bean so Spring Boot does not create its default user with a generated password. */
    @Bean
    AuthenticationProvider apiKeyAuthenticationProvider(ApiKeys apiKeys) {
        return new ApiKeyAuthenticationProvider(apiKeys);
    }

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            GatewaySecurityProperties properties,
            AuthenticationProvider apiKeyAuthenticationProvider,
            ErrorResponder responder,
            MeterRegistry meters,
            RateLimits rateLimits,
            SessionProperties sessions,
            ObjectProvider<SessionTokens> sessionTokens)
            throws Exception {
        ProblemSecurityHandler problems = new ProblemSecurityHandler(responder);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .cors(AbstractHttpConfigurer::disable)
                // no sessions, no anonymous principal, no request wrapper for the servlet API's security methods:
                // each of these is a filter (or a wrapper) on every request that the gateway has no use for
                .sessionManagement(AbstractHttpConfigurer::disable)
                .securityContext(
                        context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        if (!properties.cors().allowedOrigins().isEmpty()) {
            http.addFilterAt(
                    CorsFilters.filter(properties.cors().allowedOrigins(), sessions.enabled(), responder),
                    CorsFilter.class);
        }
        http.addFilterAfter(new CallerFilter(properties, rateLimits, responder, meters), AuthorizationFilter.class);
        if (properties.auth() == GatewaySecurityProperties.AuthMode.NONE) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationFilter apiKeyFilter = new AuthenticationFilter(
                new ProviderManager(apiKeyAuthenticationProvider),
                new ApiKeyAuthenticationConverter(properties.jwt().enabled()));
        apiKeyFilter.setRequestMatcher(UPDATE_ROUTES);
        apiKeyFilter.setSuccessHandler((request, response, authentication) -> {});
        apiKeyFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        http.addFilterBefore(apiKeyFilter, ExceptionTranslationFilter.class);
        if (sessions.enabled()) {
            http.addFilterBefore(
                    new SessionCallerFilter(sessions, sessionTokens.getObject(), responder),
                    ExceptionTranslationFilter.class);
        }
        if (properties.jwt().enabled()) {
            http.oauth2ResourceServer(server -> server.authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .bearerTokenResolver(EndUserTokens.jwtOnly())
                    .jwt(jwt -> jwt.decoder(EndUserTokens.decoder(properties.jwt()))));
        }
        http.authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
                .permitAll()
                .requestMatchers(UPDATE_ROUTES)
                .authenticated()
                .anyRequest()
                .permitAll());
        return http.build();
    }
}
