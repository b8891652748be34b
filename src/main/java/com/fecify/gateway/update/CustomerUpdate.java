package com.fecify.gateway.update;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A valid update, ready for the store.
 *
 * @param customerId the customer to change
 * @param fields the names of the fields sent, for the audit line
 * @param changes the fields the store gets, as the caller sent them (what a dry run answers)
 * @param upstreamBody the JSON body for the store: {@code id} and {@code changes}
 */
public record CustomerUpdate(long customerId, List<String> fields, ObjectNode changes, byte[] upstreamBody) {}
