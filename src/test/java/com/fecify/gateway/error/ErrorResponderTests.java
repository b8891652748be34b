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
    void anAnswerTooLateToWriteIsNotRecordedAsSent() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/v1/customers/574");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(200);
        response.getOutputStream().write("{\"id\":574}".getBytes());
        response.flushBuffer();

        responder.write(request, response, new GatewayException(ErrorCode.RATE_LIMITED, "too late"));

        assertThat(ErrorResponder.errorCodeOf(request)).isNull();
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void aWrittenAnswerIsRecorded() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/v1/customers/574");
        MockHttpServletResponse response = new MockHttpServletResponse();

        responder.write(request, response, new GatewayException(ErrorCode.RATE_LIMITED, "slow down"));

        assertThat(ErrorResponder.errorCodeOf(request)).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getContentAsString()).contains("\"code\":\"rate_limited\"");
    }
}
