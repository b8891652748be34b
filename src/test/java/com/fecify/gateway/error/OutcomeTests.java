package com.fecify.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The words of the audit line and of the {@code outcome} metric tag, as a table. */
class OutcomeTests {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void anErrorsOutcomeIsItsStatusAndCode(ErrorCode code) {
        assertThat(code.outcome()).isEqualTo(new Outcome(code.status().value(), code.code()));
    }

    /** A refusal told by its status alone reads as the one error that has that status: the code its caller read. */
    @ParameterizedTest
    @ValueSource(ints = {401, 403, 405, 413, 415, 429, 500})
    void aRefusalsStatusNamesExactlyOneError(int status) {
        var withStatus = Arrays.stream(ErrorCode.values())
                .filter(code -> code.status().value() == status)
                .toList();

        assertThat(withStatus).hasSize(1);
        assertThat(Outcome.ofStatus(status)).isEqualTo(withStatus.get(0).outcome());
    }

    @Test
    void theWordsOfAnUpdateThatWasNotRefused() {
        assertThat(Outcome.SUCCESS).isEqualTo(new Outcome(200, "success"));
        assertThat(Outcome.DRY_RUN).isEqualTo(new Outcome(200, "dry_run"));
        assertThat(Outcome.CLIENT_CLOSED).isEqualTo(new Outcome(499, "client_closed"));
        assertThat(Outcome.ofStatus(400)).isEqualTo(ErrorCode.BAD_REQUEST.outcome());
        assertThat(Outcome.ofStatus(418)).isEqualTo(new Outcome(418, "http_418"));
    }
}
