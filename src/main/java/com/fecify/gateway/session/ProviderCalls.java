package com.fecify.gateway.session;

import java.time.Duration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.AbstractOAuth2AuthorizationGrantRequest;
import org.springframework.security.oauth2.client.endpoint.AbstractRestClientOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * How long a request may wait on the identity provider: 2 s to connect, 3 s for an answer, for every call made on a
 * request's way (the code exchange of a sign-in, a refresh before an update, the provider's keys, a revocation). Spring
 * Security's own clients wait without limit; these are theirs, with the limits. A call that runs out counts as refused.
 */
final class ProviderCalls {

    static final Duration CONNECT = Duration.ofSeconds(2);
    static final Duration ANSWER = Duration.ofSeconds(3);

    private ProviderCalls() {}

    private static SimpleClientHttpRequestFactory requests() {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(CONNECT);
        requests.setReadTimeout(ANSWER);
        return requests;
    }

    /** For plain calls (a revocation). */
    static RestClient restClient() {
        return RestClient.builder().requestFactory(requests()).build();
    }

    /** For the keys of ID tokens and logout tokens. */
    static RestOperations keys() {
        return new RestTemplate(requests());
    }

    /** A token endpoint client (code exchange, refresh) as Spring Security builds it, with the limits. */
    static <
                    T extends AbstractOAuth2AuthorizationGrantRequest,
                    C extends AbstractRestClientOAuth2AccessTokenResponseClient<T>>
            C tokens(C client) {
        client.setRestClient(RestClient.builder()
                .requestFactory(requests())
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        return client;
    }
}
