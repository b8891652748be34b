package com.fecify.gateway.update;

import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code ?dry_run=true}: everything an update does but the store call. */
public final class DryRun {

    public static final String PARAMETER = "dry_run";

    private DryRun() {}

    /** The parameter's value: absent or {@code false} is a real update; anything but true or false is refused. */
    public static boolean parse(@Nullable String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw GatewayException.validation(List.of(new Violation(PARAMETER, "must be true or false", value)));
    }

    /** What a dry run answers for an accepted update: the id and exactly the fields the store would get. */
    static Map<String, Object> answer(CustomerUpdate update) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dry_run", true);
        answer.put("id", update.customerId());
        answer.put("changes", update.changes());
        return answer;
    }
}
