package com.fecify.gateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fecify.gateway.error.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.JsonNode;

/**
 * One line of a batch's answer, each shape a record: what the stream carries is typed here, once, in the order its
 * properties are written. An item's line has its {@code index} in the batch, its customer {@code id} (null when the
 * item has none that is valid) and the {@code status} a single {@code PATCH} of it would have got.
 */
public sealed interface BatchLine {

    /** The store updated the customer: its {@code data}, unchanged. */
    record Updated(int index, long id, int status, JsonNode customer) implements BatchLine {
        Updated(int index, long id, JsonNode customer) {
            this(index, id, Outcome.SUCCESS.status(), customer);
        }
    }

    /** A dry run's accepted item: the changes the store would get. */
    record DryRun(
            int index,
            long id,
            int status,
            @JsonProperty("dry_run") boolean dryRun,
            JsonNode changes) implements BatchLine {
        DryRun(int index, long id, JsonNode changes) {
            this(index, id, Outcome.DRY_RUN.status(), true, changes);
        }
    }

    /** The item was refused, or its store call failed: the problem a single {@code PATCH} of it would have got. */
    record Failed(int index, @Nullable Long id, int status, ProblemDetail problem) implements BatchLine {}

    /** The last line. */
    record Summary(Counts summary) implements BatchLine {
        Summary(int total, int succeeded) {
            this(new Counts(total, succeeded, total - succeeded));
        }
    }

    /** The summary's counts. */
    record Counts(int total, int succeeded, int failed) {}
}
