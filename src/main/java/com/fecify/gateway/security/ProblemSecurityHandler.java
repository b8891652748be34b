package com.fecify.gateway.security;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Spring Security's 401 and 403, rendered by the same {@link ErrorResponder} as every other error. */
final class ProblemSecurityHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String MISSING =
            "Caller credentials are missing: send Authorization: Bearer <key> or X-API-Key: <key>.";

    private static final String INVALID_TOKEN = "Bearer realm=\"fecify-gateway\", error=\"invalid_token\"";

    private final ErrorResponder responder;

    ProblemSecurityHandler(ErrorResponder responder) {
        this.responder = responder;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        HttpHeaders headers = new HttpHeaders();
        String detail = MISSING;
        if (failure instanceof BadCredentialsException) {
            detail = failure.getMessage();
            headers.set(HttpHeaders.WWW_AUTHENTICATE, INVALID_TOKEN);
        } else if (failure instanceof OAuth2AuthenticationException) {
            // Nimbus' own wording can name libraries and algorithms; say what a caller can act on
            String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
            detail = message.contains("expired")
                    ? "The token has expired."
                    : "The bearer token is not valid (signature, issuer, audience or format).";
            headers.set(HttpHeaders.WWW_AUTHENTICATE, INVALID_TOKEN);
        }
        responder.write(request, response, new GatewayException(ErrorCode.UNAUTHORIZED, detail), headers);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        responder.write(request, response, new GatewayException(ErrorCode.FORBIDDEN, "The caller may not do this."));
    }
}
