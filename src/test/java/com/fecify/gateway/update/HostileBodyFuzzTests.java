package com.fecify.gateway.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayTestSupport;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A few thousand generated hostile bodies, each invalid by construction (deep nesting, huge strings, odd Unicode,
 * duplicate keys, numbers at the edges of int and long, wrong types, garbage bytes), mixed with valid fields: every
 * answer is a 4xx problem+json with a stable code, and not one request reaches the store.
 */
class HostileBodyFuzzTests extends GatewayTestSupport {

    private static final long SEED = 20261128L;
    private static final int BODIES = 3000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String[] VALID_FIELDS = {
        "\"first_name\":\"Ada\"",
        "\"last_name\":\"李\"",
        "\"phone\":\"+1 565689891\"",
        "\"phone_prefix\":\"+86\"",
        "\"accepts_marketing\":1",
        "\"note\":\"\"",
        "\"customervip_id\":\"\"",
        "\"payafteruse_status\":2",
        "\"payafteruse_level\":0"
    };

    private static final String[] EDGE_NUMBERS = {
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "1e309",
        "-0.0",
        "0",
        "3",
        "-1",
        "1.0",
        "1E0",
        "0x1",
        "01",
        "NaN",
        "Infinity",
        "99999999999999999999999999999999999999999999999999999999999999999999"
    };

    private static final String[] ODD_TEXT = {
        "\\ud800", "\\udc00abc", "a\\u0000b", "\\ud83d", "x\\ud83d\\ud83dy",
    };

    @Test
    void everyHostileBodyGetsA4xxProblemAndNothingReachesTheStore() throws Exception {
        storeAnswers(successEnvelope(574));
        Random random = new Random(SEED);
        List<Function<Random, byte[]>> generators = List.of(
                HostileBodyFuzzTests::deepNesting,
                HostileBodyFuzzTests::hugeString,
                HostileBodyFuzzTests::oddUnicode,
                HostileBodyFuzzTests::invalidUtf8,
                HostileBodyFuzzTests::duplicateKey,
                HostileBodyFuzzTests::edgeNumber,
                HostileBodyFuzzTests::wrongType,
                HostileBodyFuzzTests::garbage,
                HostileBodyFuzzTests::truncated,
                HostileBodyFuzzTests::forbiddenOrUnknownKey);
        HttpClient client = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < BODIES; i++) {
            byte[] body = generators.get(random.nextInt(generators.size())).apply(random);
            HttpResponse<String> response = AnswerContract.send(
                    client,
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                            // a caller no rate limit refuses: these bodies are to be read and judged, not refused
                            // (a 429 before the body is read closes the connection while a client may still send)
                            .header("X-API-Key", UNLIMITED_KEY)
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                            .build());
            String problem = checkProblem(response);
            if (problem != null && failures.size() < 10) {
                failures.add("#" + i + " " + problem + " for body: "
                        + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
            }
        }

        assertThat(failures)
                .as("answers that are not a 4xx problem (seed " + SEED + ")")
                .isEmpty();
        assertThat(storeCalls()).as("requests that reached the store").isZero();
    }

    private static String checkProblem(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status > 499) {
            return "status " + status;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "content type " + type;
        }
        JsonNode problem = JSON.readTree(response.body());
        if (!problem.path("code").isString() || problem.path("status").asInt() != status) {
            return "problem " + response.body();
        }
        if (response.body().contains("Exception") || response.body().contains("java.")) {
            return "internals " + response.body();
        }
        return null;
    }

    /** Some valid fields around one hostile {@code part}, in random order. */
    private static byte[] around(Random random, String part) {
        List<String> parts = new ArrayList<>();
        for (String field : VALID_FIELDS) {
            if (random.nextInt(3) == 0) {
                parts.add(field);
            }
        }
        parts.add(random.nextInt(parts.size() + 1), part);
        return ("{" + String.join(",", parts) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deepNesting(Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 40 : 5000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return around(random, "\"note\":" + open.repeat(depth) + "1" + close.repeat(depth));
    }

    private static byte[] hugeString(Random random) {
        String field = random.nextBoolean() ? "first_name" : random.nextBoolean() ? "last_name" : "note";
        int min = field.equals("note") ? 1001 : 101;
        int length = min + random.nextInt(70_000);
        return around(random, "\"" + field + "\":\"" + "x".repeat(length) + "\"");
    }

    private static byte[] oddUnicode(Random random) {
        String field = random.nextBoolean() ? "first_name" : "note";
        return around(random, "\"" + field + "\":\"" + ODD_TEXT[random.nextInt(ODD_TEXT.length)] + "\"");
    }

    private static byte[] invalidUtf8(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"first_name\":\"".getBytes(StandardCharsets.UTF_8));
        byte[][] broken = {
            {(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, 0x41}, {(byte) 0xFF}
        };
        out.writeBytes(broken[random.nextInt(broken.length)]);
        out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] duplicateKey(Random random) {
        String field = VALID_FIELDS[random.nextInt(VALID_FIELDS.length)];
        return around(random, field + "," + field);
    }

    private static byte[] edgeNumber(Random random) {
        String number = EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
        // accepts_marketing and payafteruse_status allow only 1 or 2, which no edge number is
        String field = random.nextBoolean() ? "accepts_marketing" : "payafteruse_status";
        return around(random, "\"" + field + "\":" + number);
    }

    private static byte[] wrongType(Random random) {
        String[] cases = {
            "\"first_name\":1",
            "\"first_name\":true",
            "\"last_name\":{}",
            "\"phone\":[\"1\"]",
            "\"note\":false",
            "\"accepts_marketing\":\"1\"",
            "\"accepts_marketing\":[1]",
            "\"customervip_id\":\"0\"",
            "\"payafteruse_level\":\"\"",
            "\"first_name\":null",
            "\"customervip_id\":null",
            "\"phone_prefix\":86"
        };
        return around(random, cases[random.nextInt(cases.length)]);
    }

    private static byte[] garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        bytes[0] = (byte) "[\"x1-tn{".charAt(random.nextInt(7));
        if (bytes[0] == '{') {
            bytes[bytes.length - 1] = ',';
        }
        return bytes;
    }

    private static byte[] truncated(Random random) {
        byte[] whole = around(random, "\"first_name\":\"Grace\"");
        int cut = 1 + random.nextInt(whole.length - 1);
        byte[] part = new byte[cut];
        System.arraycopy(whole, 0, part, 0, cut);
        return part;
    }

    private static byte[] forbiddenOrUnknownKey(Random random) {
        String[] keys = {
            "email",
            "status",
            "",
            "Email",
            "first_name ",
            "\\u0000",
            "id\\u0000",
            "__proto__",
            "constructor",
            "first-name",
            "FIRST_NAME",
            "shop_id",
            "created_at",
            "updated_at",
            "💥"
        };
        return around(random, "\"" + keys[random.nextInt(keys.length)] + "\":\"x\"");
    }
}
