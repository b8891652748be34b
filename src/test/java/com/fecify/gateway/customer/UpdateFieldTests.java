package com.fecify.gateway.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.Caller;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UpdateFieldTests {

    @Test
    void theFieldsCallersMayBeGrantedAreExactlyTheUpdatableOnes() {
        // security validates client field lists against Caller.UPDATABLE_FIELDS; the body rules use UpdateField
        assertThat(Arrays.stream(UpdateField.values()).map(UpdateField::jsonName))
                .containsExactlyElementsOf(Caller.UPDATABLE_FIELDS);
    }
}
