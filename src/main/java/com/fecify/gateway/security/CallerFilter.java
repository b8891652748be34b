package com.fecify.gateway.security;

import com.fecify.gateway.Caller;
import com.fecify.gateway.RateBucket;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.fields.CustomerChanges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns the authenticated principal into a {@link Caller} (who, which fields, which customer) for the update flow,
 * and applies the caller's rate limit: over it, 429 with {@code Retry-After}, before the body is even read.
 */
final class CallerFilter extends OncePerRequestFilter {

    static final String END_USER_TAG = "end_user";
    private static final RequestMatcher BATCH_ROUTE = SecurityConfiguration.BATCH_ROUTE;

    private final GatewaySecurityProperties properties;
    private final RateLimits rateLimits;
    private final ErrorResponder responder;
    private final Meter.MeterProvider<Counter> rateLimited;
    private final Set<String> endUserFields;

    CallerFilter(
            GatewaySecurityProperties properties,
            RateLimits rateLimits,
            ErrorResponder responder,
            MeterRegistry meters) {
        this.properties = properties;
        this.rateLimits = rateLimits;
        this.responder = responder;
        this.rateLimited = Counter.builder("fecify.gateway.rate.limited")
                .description("Update attempts refused because the caller was over its rate")
                .withRegistry(meters);
        this.endUserFields = Set.copyOf(properties.jwt().fields());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !SecurityConfiguration.UPDATE_ROUTES.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Caller caller;
        if (authentication instanceof ApiKeyAuthentication apiKey && apiKey.client() != null) {
            ApiKeys.ServiceClient client = apiKey.client();
            caller = new Caller(
                    client.id(),
                    client.id(),
                    client.fields(),
                    null,
                    bucket("client:" + client.id(), client.ratePerSecond()));
        } else if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            caller = endUser(jwt.getSubject(), jwt.getClaim(properties.jwt().customerIdClaim()), request, response);
            if (caller == null) {
                return;
            }
        } else if (authentication instanceof OAuth2AuthenticationToken token
                && token.getPrincipal() instanceof OidcUser user) {
            // a browser session: the end user its ID token names, with the same rules as a JWT's
            caller = endUser(user.getSubject(), user.getClaim(properties.jwt().customerIdClaim()), request, response);
            if (caller == null) {
                return;
            }
        } else {
            caller = Caller.ANONYMOUS;
        }
        caller.bindTo(request);
        MDC.put(Caller.MDC_KEY, caller.id());
        try {
            // a batch takes one token per item as it sends them, waiting for tokens rather than refusing
            Duration wait =
                    BATCH_ROUTE.matches(request) ? Duration.ZERO : caller.rate().tryTake();
            if (wait.isZero()) {
                chain.doFilter(request, response);
                return;
            }
            rateLimited.withTags("caller", caller.metricTag()).increment();
            responder.write(
                    request,
                    response,
                    new GatewayException(
                            ErrorCode.RATE_LIMITED,
                            "Caller '" + caller.metricTag() + "' is over its rate of "
                                    + caller.rate().perSecond()
                                    + " updates per second; retry after the Retry-After seconds.",
                            List.of(),
                            wait,
                            null));
        } finally {
            MDC.remove(Caller.MDC_KEY);
        }
    }

    /** An end user's caller; null when its claim names no customer, the 403 then written. */
    private @Nullable Caller endUser(
            @Nullable String subjectClaim,
            @Nullable Object customerClaim,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        Long customerId = CustomerChanges.customerIdClaim(customerClaim);
        String subject = subjectClaim == null ? "unknown" : subjectClaim;
        if (customerId == null) {
            // audited like any refusal after authentication: the caller is known, its claim is not usable
            new Caller(subject, END_USER_TAG, endUserFields, null, RateBucket.UNLIMITED).bindTo(request);
            responder.write(
                    request,
                    response,
                    new GatewayException(
                            ErrorCode.FORBIDDEN,
                            "The token carries no usable '" + properties.jwt().customerIdClaim() + "' claim, so it may"
                                    + " update no customer."));
            return null;
        }
        return new Caller(
                subject,
                END_USER_TAG,
                endUserFields,
                customerId,
                bucket("user:" + subject, properties.rateLimit().perSecond()));
    }

    private RateBucket bucket(String key, double perSecond) {
        return new RateBucket() {
            @Override
            public Duration tryTake() {
                return rateLimits.tryConsume(key, perSecond);
            }

            @Override
            public CompletableFuture<Duration> tryTakeLeaving(long reserve) {
                return rateLimits.tryConsumeLeaving(key, perSecond, reserve);
            }

            @Override
            public double perSecond() {
                return perSecond;
            }
        };
    }
}
