package com.fecify.gateway.security;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Spring Security's 401 and 403, rendered by the same {@link ErrorResponder} as every other error. */
final class ProblemSecurityHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String MISSING =
            "Caller credentials are missing: send Authorization: Bearer <key> or X-API-Key: <key>.";

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
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fecify-gateway\", error=\"invalid_token\"");
        }
        responder.write(request, response, new GatewayException(ErrorCode.UNAUTHORIZED, detail), headers);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        responder.write(request, response, new GatewayException(ErrorCode.FORBIDDEN, "The caller may not do this."));
    }
}
