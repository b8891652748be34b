package com.fecify.gateway.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An update whose body came in the same packets as its headers (what every HTTP client sends for a small body) is
 * read at once on the request thread, through the real Tomcat and every filter the update routes pass (the body size
 * limit wraps the stream). Were it not, every update would take the slow-body path: a non-blocking read and one more
 * container dispatch each (as it did while that wrapper hid {@code available()}: found in a profile of the cold
 * benchmark, a quarter of its samples under that path).
 */
@Import(BodyAtHandTests.Probe.class)
class BodyAtHandTests extends GatewayTestSupport {

    /** The probe's answer after the headers. */
    private static final Pattern ANSWER = Pattern.compile("\r\n\r\n(?:[0-9a-f]+\r\n)?((?:true|false) \\d+)");

    private static final String BODY = "{\"id\":574,\"first_name\":\"yunlong2\",\"accepts_marketing\":1}";

    /** Answers what {@link UpdateExchange#received} finds at hand: "whole length". */
    @RestController
    static class Probe {
        @PostMapping("/test/body-at-hand")
        String atHand(HttpServletRequest request) {
            UpdateExchange.Received received = UpdateExchange.received(request);
            return received.whole() + " " + received.bytes().length;
        }
    }

    @Test
    void bodySentWithItsHeadersIsReadWhole() throws Exception {
        assertThat(send(BODY)).isEqualTo("true " + BODY.length());
    }

    @Test
    void bodyStillOnItsWayIsLeftToTheNonBlockingRead() throws Exception {
        assertThat(send(BODY.substring(0, 10))).isEqualTo("false 10");
    }

    /** Headers and {@code sent} of the body in one write; the answer's body, read as far as the probe's words. */
    private String send(String sent) throws Exception {
        String head = "POST /test/body-at-hand HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + sent).getBytes(StandardCharsets.UTF_8));
            out.flush();
            // not read to the end: with part of the body unsent, the container may wait for it before closing
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] chunk = new byte[1024];
            Matcher words = ANSWER.matcher(answer);
            while (!words.reset(answer).find()) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                answer.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(answer).startsWith("HTTP/1.1 200");
            return words.reset(answer).find() ? words.group(1) : answer.toString();
        }
    }
}
