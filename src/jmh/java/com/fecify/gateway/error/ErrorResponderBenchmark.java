package com.fecify.gateway.error;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Rendering an error answer to the servlet response: problem+json on /v1, the envelope on the drop-in route. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ErrorResponderBenchmark {

    private static final GatewayException INVALID = GatewayException.validation(List.of(
            new Violation("accepts_marketing", "must be 1 (subscribed) or 2 (not subscribed)", "1"),
            new Violation("email", "is not a field the store lets you update", "x@example.com")));

    private final ErrorResponder responder = new ErrorResponder(JsonMapper.builder().build());

    @Benchmark
    public MockHttpServletResponse problemJson() throws IOException {
        return write("PATCH", "/v1/customers/574");
    }

    @Benchmark
    public MockHttpServletResponse dropInEnvelope() throws IOException {
        return write("POST", com.fecify.gateway.Routes.DROP_IN);
    }

    private MockHttpServletResponse write(String method, String path) throws IOException {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        RequestIds.set(request, "8a1c5e0e-1f39-4c43-9d5b-3a8c4e1f6b2d");
        MockHttpServletResponse response = new MockHttpServletResponse();
        responder.write(request, response, INVALID);
        return response;
    }
}
