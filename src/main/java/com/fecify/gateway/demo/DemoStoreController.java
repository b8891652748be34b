package com.fecify.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A simulated Fecify store for the demo profile. It plays an outside HTTP server: the gateway reaches it over real
 * HTTP under {@code /demo-store/apimanager666}, with the documented path, token header and envelope. It shares no
 * code with the gateway.
 */
@RestController
@Profile("demo")
class DemoStoreController {

    static final String PATH = "/demo-store/apimanager666/api/skill/customer/update-customer";
    private static final Logger log = LoggerFactory.getLogger(DemoStoreController.class);

    private final DemoStore store = new DemoStore();
    private final byte[] expectedToken;

    DemoStoreController(@Value("${fecify.access-token}") String token) {
        this.expectedToken = token.getBytes(StandardCharsets.UTF_8);
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        log.warn("DEMO MODE: the gateway talks to a simulated Fecify store inside this process (customers 574, 575,"
                + " 576; caller key 'demo-key'). Nothing here reaches a real store.");
    }

    @PostMapping(PATH)
    Map<String, @Nullable Object> updateCustomer(
            @RequestHeader(name = "skill-access-token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (token == null || !MessageDigest.isEqual(expectedToken, token.getBytes(StandardCharsets.UTF_8))) {
            return envelope(401, null, "invalid skill-access-token");
        }
        if (!(body.get("id") instanceof Number id)) {
            return envelope(400, null, "id is required");
        }
        Map<String, Object> customer = store.update(id.longValue(), body);
        return customer == null ? envelope(404, null, "customer not found") : envelope(200, customer, "success");
    }

    private static Map<String, @Nullable Object> envelope(int code, @Nullable Object data, String message) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("code", code);
        envelope.put("data", data);
        envelope.put("message", message);
        return envelope;
    }
}
