package com.fecify.gateway.demo;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The simulated store's customers and its documented update behaviour: partial update, {@code email} and
 * {@code status} never changed, {@code customervip_id: ""} ignored, {@code updated_at} refreshed.
 */
final class DemoStore {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> UPDATABLE = Set.of(
            "first_name",
            "last_name",
            "phone",
            "phone_prefix",
            "accepts_marketing",
            "note",
            "customervip_id",
            "payafteruse_status",
            "payafteruse_level");

    private final Map<Long, Map<String, Object>> customers = new ConcurrentHashMap<>();

    DemoStore() {
        seed(574, "liyunlong@pingan2.com", "yunlong", "li", "+1 565689890", "2026-05-25 11:35:16");
        seed(575, "ada@example.com", "Ada", "Lovelace", "+44 2079460000", "2026-05-26 09:12:03");
        seed(576, "grace@example.com", "Grace", "Hopper", "+1 2025550143", "2026-05-27 16:40:51");
    }

    private void seed(long id, String email, String first, String last, String phone, String createdAt) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("shop_id", 15);
        customer.put("email", email);
        customer.put("first_name", first);
        customer.put("last_name", last);
        customer.put("note", "");
        customer.put("phone", phone);
        customer.put("created_at", createdAt);
        customer.put("updated_at", createdAt);
        customer.put("accepts_marketing", 2);
        customer.put("customervip_id", 0);
        customers.put(id, customer);
    }

    /** Applies {@code changes} to customer {@code id}; the updated customer, or null when there is none. */
    @Nullable
    Map<String, Object> update(long id, Map<String, Object> changes) {
        Map<String, Object> updated = customers.computeIfPresent(id, (key, current) -> {
            Map<String, Object> next = new LinkedHashMap<>(current);
            changes.forEach((field, value) -> {
                boolean keep = field.equals("customervip_id") && "".equals(value);
                if (UPDATABLE.contains(field) && !keep) {
                    next.put(field, value);
                }
            });
            next.put("updated_at", LocalDateTime.now().format(TIMESTAMP));
            return next;
        });
        return updated == null ? null : new LinkedHashMap<>(updated);
    }
}
