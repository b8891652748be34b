package com.fecify.gateway.update;

import com.fecify.gateway.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two single-update routes: each says how its body is read and what its success looks like; the
 * {@link UpdateExchange} does the rest. The body is taken from the request as bytes rather than by {@code
 * @RequestBody}, whose argument resolver copies every header, parses the content type again and builds a data binder
 * for each request (the routes' {@code consumes} still checks the content type, and the body's size is limited while
 * it is read); refusals are written by the exchange rather than thrown through Spring MVC's exception resolvers, which
 * cost more than everything else a refusal does.
 */
@RestController
public class CustomerController {

    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final CustomerUpdateReader reader;
    private final UpdateExchange exchange;
    private final JsonMapper jsonMapper;

    CustomerController(CustomerUpdateReader reader, UpdateExchange exchange, JsonMapper jsonMapper) {
        this.reader = reader;
        this.exchange = exchange;
        this.jsonMapper = jsonMapper;
    }

    /**
     * Success: the customer as the store returns it ({@code data} of its envelope). With {@code ?dry_run=true}, the
     * whole path but the store call: the changes the store would get.
     */
    @PatchMapping(
            path = Routes.CUSTOMER,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    void patch(
            @PathVariable String id,
            @RequestParam(name = DryRun.PARAMETER, required = false) @Nullable String dryRun,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        exchange.single(
                request,
                response,
                (caller, body, audit) -> {
                    audit.dryRun(DryRun.parse(dryRun));
                    return reader.readPatch(id, body, caller, audit);
                },
                reply -> jsonMapper.writeValueAsBytes(reply.data()));
    }

    /** Fecify's own path and body, for callers moving off direct calls: success is the store's envelope as is. */
    @PostMapping(
            path = Routes.DROP_IN,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    void dropIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        exchange.single(
                request,
                response,
                (caller, body, audit) -> reader.readDropIn(body, caller, audit),
                reply -> reply.envelope().getBytes(StandardCharsets.UTF_8));
    }
}
