package com.fecify.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorePropertiesTests {

    @ParameterizedTest
    @CsvSource({
        "https://shop.example.com, https://shop.example.com/api/skill/customer/update-customer",
        "https://shop.example.com/, https://shop.example.com/api/skill/customer/update-customer",
        "https://shop.example.com/apimanager666, https://shop.example.com/apimanager666/api/skill/customer/update-customer",
        "https://shop.example.com/apimanager666/, https://shop.example.com/apimanager666/api/skill/customer/update-customer",
        "http://10.0.0.5:8080/a/b//, http://10.0.0.5:8080/a/b/api/skill/customer/update-customer"
    })
    void joinsTheBaseUrlAndTheSkillPathWithOneSlash(String baseUrl, String expected) {
        StoreProperties properties = new StoreProperties(
                baseUrl,
                "t",
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                64,
                null,
                new StoreProperties.Retry(3, Duration.ofMillis(100)),
                new StoreProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(10), 3));

        assertThat(properties.updateCustomerUri()).hasToString(expected);
        assertThat(properties.problems()).isEmpty();
    }
}
