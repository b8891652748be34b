package com.fecify.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** The audit line says which error a caller got: only an answer that was actually written counts. */
class ErrorResponderTests {

    private final ErrorResponder responder =
            new ErrorResponder(JsonMapper.builder().build());

    @Test
    void anAnswerTooLateToWriteIsNotReportedAsSent() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/v1/customers/574");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(200);
        response.getOutputStream().write("{\"id\":574}".getBytes());
        response.flushBuffer();

        Outcome written = responder.write(request, response, new GatewayException(ErrorCode.RATE_LIMITED, "too late"));

        assertThat(written).isNull();
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void aWrittenAnswerReportsItsOutcome() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/v1/customers/574");
        MockHttpServletResponse response = new MockHttpServletResponse();

        Outcome written = responder.write(request, response, new GatewayException(ErrorCode.RATE_LIMITED, "slow down"));

        assertThat(written).isEqualTo(new Outcome(429, "rate_limited"));
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getContentAsString()).contains("\"code\":\"rate_limited\"");
    }
}
