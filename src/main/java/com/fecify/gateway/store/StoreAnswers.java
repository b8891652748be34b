package com.fecify.gateway.store;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upstream outcome table: how one answer of the store (HTTP status, headers, body) reads, as an
 * {@link StoreReply} or a {@link GatewayException} of the SPEC's error table. The HTTP status is read first, then
 * the envelope's own {@code code}. Pure: no I/O, no state.
 */
final class StoreAnswers {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_MESSAGE_CHARS = 500;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final JsonMapper jsonMapper;
    private final StoreRedaction redaction;

    StoreAnswers(JsonMapper jsonMapper, StoreRedaction redaction) {
        this.jsonMapper = jsonMapper;
        this.redaction = redaction;
    }

    /**
     * Reads one answer.
     *
     * @throws GatewayException the answer is a failure with a known code
     * @throws Retryable the failure is one another attempt may cure (HTTP 502, 503, 504)
     */
    StoreReply read(int status, HttpHeaders headers, byte[] bytes, long customerId) {
        // parsed as sent; only what reaches a caller is redacted (the message, or a success that echoes secrets)
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode envelope = parseEnvelope(text);
        if (status < 200 || status >= 300) {
            Integer envelopeCode = envelope == null ? null : envelopeCode(envelope);
            throw failure(status, envelopeCode != null ? envelopeCode : status, envelope, headers, customerId, "HTTP ");
        }
        if (envelope == null) {
            throw badResponse("it is not a JSON object");
        }
        Integer code = envelopeCode(envelope);
        if (code == null) {
            throw badResponse("it has no numeric \"code\"");
        }
        if (code == 200) {
            JsonNode data = envelope.get("data");
            if (data == null || !data.isObject()) {
                throw badResponse("\"data\" is not an object");
            }
            if (!redaction.isNeededIn(text, envelope)) {
                return new StoreReply(text, data);
            }
            // written anew: the drop-in route passes the envelope on as text, so an escaped token must not survive in
            // it
            JsonNode clean = redaction.redactTree(envelope);
            return new StoreReply(jsonMapper.writeValueAsString(clean), clean.get("data"));
        }
        throw failure(code, code, envelope, headers, customerId, "code ");
    }

    private RuntimeException failure(
            int status,
            int upstreamCode,
            @Nullable JsonNode envelope,
            HttpHeaders headers,
            long customerId,
            String what) {
        String message = envelope == null ? null : message(envelope);
        message = message == null ? null : redaction.redactMessage(message);
        if (status == 401 || status == 403) {
            return new StoreFailure(
                    StoreOutcome.AUTH_FAILED,
                    ErrorCode.UPSTREAM_AUTH_FAILED,
                    "The store refused the gateway's credentials (" + what + status + "); the operator must check the"
                            + " store token.");
        }
        if (status == 404) {
            return new StoreFailure(
                    StoreOutcome.NOT_FOUND,
                    ErrorCode.CUSTOMER_NOT_FOUND,
                    "The store has no customer " + customerId + (message == null ? "." : ": " + message));
        }
        if (status == 429) {
            return new StoreFailure(
                    StoreOutcome.UNAVAILABLE,
                    ErrorCode.UPSTREAM_BUSY,
                    "The store asks the gateway to slow down (" + what + status + "); try again later.",
                    retryAfter(headers),
                    upstreamCode);
        }
        if (status >= 500 && status <= 599) {
            StoreFailure unavailable = new StoreFailure(
                    StoreOutcome.UNAVAILABLE,
                    ErrorCode.UPSTREAM_UNAVAILABLE,
                    "The store failed (" + what + status + "); try again later.",
                    null,
                    upstreamCode);
            return status >= 502 && status <= 504 ? new Retryable(unavailable) : unavailable;
        }
        if (what.startsWith("HTTP") && (status < 400 || status > 499)) {
            return badResponse("HTTP status " + status);
        }
        return new StoreFailure(
                StoreOutcome.REJECTED,
                ErrorCode.UPSTREAM_REJECTED,
                message == null ? "The store rejected the update (" + what + status + ")." : message,
                null,
                upstreamCode);
    }

    private @Nullable JsonNode parseEnvelope(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = jsonMapper.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable Integer envelopeCode(JsonNode envelope) {
        JsonNode code = envelope.get("code");
        if (code == null) {
            return null;
        }
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return code.intValue();
        }
        if (code.isString() && DIGITS.matcher(code.stringValue()).matches()) {
            return Integer.parseInt(code.stringValue());
        }
        return null;
    }

    /** The envelope's message, cut short and stripped of control characters. */
    private static @Nullable String message(JsonNode envelope) {
        JsonNode message = envelope.get("message");
        if (message == null || !message.isString() || message.stringValue().isBlank()) {
            return null;
        }
        String clean = CONTROL.matcher(message.stringValue()).replaceAll(" ").strip();
        return clean.length() > MAX_MESSAGE_CHARS ? clean.substring(0, MAX_MESSAGE_CHARS) + "…" : clean;
    }

    /** The store's {@code Retry-After} (seconds or an HTTP date), kept between a second and five minutes. */
    static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
        if (wait.compareTo(DEFAULT_RETRY_AFTER) < 0) {
            return DEFAULT_RETRY_AFTER;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    static StoreFailure badResponse(String why) {
        return new StoreFailure(
                StoreOutcome.BAD_RESPONSE,
                ErrorCode.UPSTREAM_BAD_RESPONSE,
                "The store's answer is not a usable JSON envelope: " + why + ".");
    }

    /** A failure that another attempt may cure; unwrapped to its {@link GatewayException} once retries run out. */
    static final class Retryable extends RuntimeException {

        private final StoreFailure failure;

        Retryable(StoreFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }

        StoreFailure failure() {
            return failure;
        }
    }
}
