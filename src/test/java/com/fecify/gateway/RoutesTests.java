package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * {@link Routes} is the whole API: the gateway maps exactly the routes it names (the container's error path and the
 * demo's simulated store aside), and it tells each request's route as the filters read it.
 */
class RoutesTests extends GatewayTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theGatewayMapsExactlyTheRoutesTheTableNames() {
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            Class<?> type = handler.getBeanType();
            if (!type.getPackageName().startsWith("com.fecify.gateway")
                    || type.getPackageName().startsWith("com.fecify.gateway.demo")
                    || ErrorController.class.isAssignableFrom(type)) {
                return;
            }
            for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                for (String path : info.getPatternValues()) {
                    mapped.add(method + " " + path);
                }
            }
        });
        Set<String> named = Arrays.stream(Routes.Update.values())
                .map(Routes.Update::toString)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(mapped).isEqualTo(named);
    }

    @ParameterizedTest
    @CsvSource({
        "PATCH, /v1/customers/574, PATCH_CUSTOMER",
        "PATCH, /v1/customers/abc, PATCH_CUSTOMER",
        "POST, /v1/customers/batch, BATCH_UPDATE",
        "POST, /api/skill/customer/update-customer, DROP_IN_UPDATE",
        "POST, /v1/customers/574, ",
        "PATCH, /v1/customers/574/more, ",
        "GET, /api/skill/customer/update-customer, ",
        "PATCH, /v1/customers, "
    })
    void eachRequestHasTheRouteOfItsMethodAndPath(String method, String path, Routes.Update expected) {
        assertThat(Routes.of(new MockHttpServletRequest(method, path))).isEqualTo(expected);
    }
}
