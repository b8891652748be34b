package com.fecify.gateway.customer;

/**
 * A valid update, ready for the store.
 *
 * @param customerId the customer to change
 * @param upstreamBody the JSON body for the store: {@code id} and the fields exactly as the caller sent them
 */
record CustomerUpdate(long customerId, byte[] upstreamBody) {}
