package com.fecify.gateway.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An update whose body came in the same packets as its headers (what every HTTP client sends for a small body) is
 * read at once on the request thread, through the real Tomcat and every filter the update routes pass (the body size
 * limit wraps the stream). Were it not, every update would take the slow-body path: a non-blocking read and one more
 * container dispatch each, which the cold benchmark showed as a quarter of the gateway's CPU.
 */
@Import(BodyAtHandTests.Probe.class)
class BodyAtHandTests extends GatewayTestSupport {

    private static final String BODY = "{\"id\":574,\"first_name\":\"yunlong2\",\"accepts_marketing\":1}";

    /** Answers what {@link UpdateRequests#arrived} finds at hand: "complete length". */
    @RestController
    static class Probe {
        @PostMapping("/test/body-at-hand")
        String atHand(HttpServletRequest request) {
            UpdateRequests.Arrived arrived = UpdateRequests.arrived(request);
            return arrived.complete() + " " + arrived.bytes().length;
        }
    }

    @Test
    void bodySentWithItsHeadersIsReadWhole() throws Exception {
        assertThat(send(BODY, "")).endsWith("true " + BODY.length());
    }

    @Test
    void bodyStillOnItsWayIsLeftToTheNonBlockingRead() throws Exception {
        assertThat(send(BODY.substring(0, 10), BODY.substring(10))).endsWith("false 10");
    }

    /** Headers and {@code first} in one write; {@code rest} only after the answer. */
    private String send(String first, String rest) throws Exception {
        String head = "POST /test/body-at-hand HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + first).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] chunk = new byte[1024];
            int n;
            while (!answer.toString().contains("\r\n\r\n") || !answer.toString().matches("(?s).*(true|false) \\d+.*")) {
                n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                answer.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
            if (!rest.isEmpty()) {
                out.write(rest.getBytes(StandardCharsets.UTF_8));
            }
            return answer.toString().replaceAll("(?s).*((true|false) \\d+).*", "$1");
        }
    }
}
