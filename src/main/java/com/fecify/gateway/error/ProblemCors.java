package com.fecify.gateway.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.CorsFilter;

/**
 * Spring's CORS filter for every route a page may call (the update routes, the session's), with one change: a request
 * from an origin that is not listed gets the gateway's 403 problem instead of Spring's plain-text refusal.
 */
public final class ProblemCors {

    private ProblemCors() {}

    public static CorsFilter filter(CorsConfigurationSource routes, ErrorResponder responder) {
        CorsFilter filter = new CorsFilter(routes);
        filter.setCorsProcessor(new Processor(responder));
        return filter;
    }

    private static final class Processor extends DefaultCorsProcessor {

        private final ErrorResponder responder;

        Processor(ErrorResponder responder) {
            this.responder = responder;
        }

        @Override
        public boolean processRequest(
                @Nullable CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            if (super.processRequest(config, request, response)) {
                return true;
            }
            responder.write(
                    request,
                    response,
                    new GatewayException(ErrorCode.FORBIDDEN, "This origin may not call the gateway from a browser."));
            return false;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            // answered by processRequest() above, through the ErrorResponder
        }
    }
}
