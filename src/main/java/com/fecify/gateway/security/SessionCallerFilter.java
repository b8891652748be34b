package com.fecify.gateway.security;

import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.session.CsrfHeader;
import com.fecify.gateway.session.SessionAge;
import com.fecify.gateway.session.SessionProperties;
import com.fecify.gateway.session.SessionTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * A browser session as the caller of an update route: when a request has no explicit credential ({@code
 * Authorization}, {@code X-API-Key}) but the session cookie of a live session, the session's end user is the caller,
 * for {@code PATCH /v1/customers/{id}} only and only with {@code X-CSRF-Protection: 1}; the batch and drop-in routes
 * refuse it with 403. Nothing else changes: {@link CallerFilter} turns the user into an end-user caller as for a JWT.
 */
final class SessionCallerFilter extends OncePerRequestFilter {

    private static final RequestMatcher PATCH = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.valueOf(Routes.Update.PATCH_CUSTOMER.method()), Routes.Update.PATCH_CUSTOMER.path());

    private final SessionProperties sessions;
    private final SessionTokens tokens;
    private final ErrorResponder responder;
    private final RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

    SessionCallerFilter(SessionProperties sessions, SessionTokens tokens, ErrorResponder responder) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.responder = responder;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !SecurityConfiguration.UPDATE_ROUTES.matches(request)
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getHeader(ApiKeyAuthenticationConverter.API_KEY_HEADER) != null
                || WebUtils.getCookie(request, sessions.cookieName()) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session == null
                || SessionAge.endOf(session, sessions.maxAge()) == null
                || !(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                                instanceof SecurityContext context
                        && context.getAuthentication() instanceof OAuth2AuthenticationToken user)) {
            chain.doFilter(request, response); // no live session: no caller, so 401 as without the cookie
            return;
        }
        if (!PATCH.matches(request)) {
            responder.write(
                    request,
                    response,
                    new GatewayException(
                            ErrorCode.FORBIDDEN,
                            "A browser session may only use PATCH /v1/customers/{id}; this route is for service"
                                    + " callers."));
            return;
        }
        if (!CsrfHeader.carried(request)) {
            responder.write(request, response, CsrfHeader.missing());
            return;
        }
        if (!tokens.follow(user, request, response)) {
            chain.doFilter(request, response); // the provider refused to refresh: the session has ended, 401
            return;
        }
        SecurityContext caller = SecurityContextHolder.createEmptyContext();
        caller.setAuthentication(user);
        SecurityContextHolder.setContext(caller);
        // kept on the request, as the other credentials' are, for the dispatch that brings a late body back
        contexts.saveContext(caller, request, response);
        chain.doFilter(request, response);
    }
}
