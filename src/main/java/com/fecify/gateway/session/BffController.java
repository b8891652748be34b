package com.fecify.gateway.session;

import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.fields.CustomerChanges;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /bff/session}: who the session is, what it may change and when it ends if unused; never a token. */
@RestController
@ConditionalOnProperty(prefix = "gateway.sessions", name = "issuer-uri")
class BffController {

    private final SessionProperties sessions;
    private final String customerClaim;
    private final List<String> fields;

    BffController(
            SessionProperties sessions,
            @Value("${gateway.jwt.customer-id-claim:customer_id}") String customerClaim,
            @Value("${gateway.jwt.fields:first_name,last_name,phone,phone_prefix,accepts_marketing}")
                    List<String> fields) {
        this.sessions = sessions;
        this.customerClaim = customerClaim;
        this.fields = fields.stream().map(String::strip).toList();
    }

    @GetMapping(Routes.Sessions.SESSION)
    Map<String, Object> session(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Instant end = SessionAge.endOf(request.getSession(false), sessions.maxAge());
        if (end == null || authentication == null || !(authentication.getPrincipal() instanceof OidcUser user)) {
            throw new GatewayException(ErrorCode.UNAUTHORIZED, "No live session: sign in at /bff/login.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", user.getSubject());
        answer.put("customer_id", CustomerChanges.customerIdClaim(user.getClaim(customerClaim)));
        answer.put("fields", fields);
        answer.put("expires_at", end.truncatedTo(ChronoUnit.SECONDS).toString());
        return answer;
    }
}
