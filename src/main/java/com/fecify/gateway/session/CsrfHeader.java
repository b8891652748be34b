package com.fecify.gateway.session;

import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The one rule of a state-changing request the session cookie authenticates (a session's PATCH, {@code POST
 * /bff/logout}): it carries {@code X-CSRF-Protection: 1}, a header no other site can send without a CORS preflight.
 */
public final class CsrfHeader {

    private CsrfHeader() {}

    public static boolean carried(HttpServletRequest request) {
        return "1".equals(request.getHeader(Routes.Sessions.CSRF_HEADER));
    }

    /** The 403 a request without it gets; nothing happens. */
    public static GatewayException missing() {
        return new GatewayException(
                ErrorCode.FORBIDDEN,
                "A request the session cookie authenticates must carry the header " + Routes.Sessions.CSRF_HEADER
                        + ": 1");
    }
}
