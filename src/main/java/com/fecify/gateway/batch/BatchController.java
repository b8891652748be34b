package com.fecify.gateway.batch;

import com.fecify.gateway.Caller;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.update.CustomerController;
import com.fecify.gateway.update.DryRun;
import com.fecify.gateway.update.UpdateAudit;
import com.fecify.gateway.update.UpdateExchange;
import com.fecify.gateway.update.UpdateRoute;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/customers/batch}, on the one {@link UpdateExchange}: let in among its caller's running batches before
 * its body is read, refused as a whole before anything is sent, or answered {@code 200} with NDJSON lines written as
 * the items end ({@link BatchUpdates}), the request thread waiting for each.
 */
@RestController
class BatchController {

    private final BatchUpdates batches;
    private final RunningBatches running;
    private final UpdateExchange exchange;
    private final JsonMapper jsonMapper;

    BatchController(BatchUpdates batches, RunningBatches running, UpdateExchange exchange, JsonMapper jsonMapper) {
        this.batches = batches;
        this.running = running;
        this.exchange = exchange;
        this.jsonMapper = jsonMapper;
    }

    @PostMapping(
            path = Routes.BATCH,
            consumes = {MediaType.APPLICATION_JSON_VALUE, CustomerController.MERGE_PATCH_JSON})
    void batch(
            @RequestParam(name = DryRun.PARAMETER, required = false) @Nullable String dryRun,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        exchange.handle(request, response, new UpdateRoute<RunningBatches.Ticket>() {
            @Override
            public RunningBatches.Ticket admit(Caller caller) {
                UpdateAudit.of(request).dryRun(DryRun.parse(dryRun));
                if (caller.isEndUser()) {
                    throw new GatewayException(
                            ErrorCode.FORBIDDEN,
                            "Batches are for service clients; an end user updates its own record.");
                }
                // before a byte of the body is read: a caller has at most so many batches uploading or running
                return running.admit(caller);
            }

            /**
             * Checks the batch as a whole (its shape, then its items against the caller's rate and running batches),
             * then runs it, writing each line as its item ends. A caller that goes away ends the batch: closing the
             * stream of lines cancels the items not yet sent.
             */
            @Override
            public Outcome answer(
                    HttpServletRequest request,
                    HttpServletResponse response,
                    Caller caller,
                    byte[] body,
                    RunningBatches.Ticket ticket)
                    throws IOException {
                List<ObjectNode> items = BatchBody.items(body);
                ticket.owe(items.size());
                UpdateAudit audit = UpdateAudit.of(request);
                // each item has its own audit line, written as it ends
                audit.itemized(true);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType(MediaType.APPLICATION_NDJSON_VALUE);
                ServletOutputStream out = response.getOutputStream();
                try (Stream<BatchLine> lines = batches.run(
                                items, caller, RequestIds.of(request), audit.dryRun(), ticket)
                        .toStream()) {
                    for (Iterator<BatchLine> each = lines.iterator(); each.hasNext(); ) {
                        out.write(ndjson(each.next()));
                        out.flush();
                    }
                } catch (IOException gone) {
                    return Outcome.CLIENT_CLOSED;
                }
                return Outcome.SUCCESS;
            }
        });
    }

    /** One line: the JSON object and its newline, sent (and flushed) together. */
    private byte[] ndjson(Object line) {
        byte[] json = jsonMapper.writeValueAsBytes(line);
        byte[] withNewline = Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }
}
