package com.fecify.gateway.customer;

import java.util.List;

/**
 * A valid update, ready for the store.
 *
 * @param customerId the customer to change
 * @param upstreamBody the JSON body for the store: {@code id} and the fields exactly as the caller sent them
 * @param fields the names of the fields sent (for the audit line; never their values)
 */
record CustomerUpdate(long customerId, byte[] upstreamBody, List<String> fields) {}
