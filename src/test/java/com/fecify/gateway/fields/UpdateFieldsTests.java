package com.fecify.gateway.fields;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The field table read from CustomerChanges: the SPEC's fields, in its order, with their JSON kinds. */
class UpdateFieldsTests {

    @Test
    void tableHoldsTheSpecsFieldsWithTheirJsonKinds() {
        assertThat(UpdateFields.ALL)
                .extracting(field -> field.jsonName() + ":" + field.kind())
                .containsExactly(
                        "first_name:STRING",
                        "last_name:STRING",
                        "phone:STRING",
                        "phone_prefix:STRING",
                        "accepts_marketing:INTEGER",
                        "note:STRING",
                        "customervip_id:INTEGER_OR_EMPTY",
                        "payafteruse_status:INTEGER",
                        "payafteruse_level:INTEGER");
    }
}
