package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.OrderUtils;

/**
 * Every servlet filter the application registers, ours and Spring Boot's, stands where {@link FilterOrders} says, at
 * an order no other filter shares: the trace headers are hidden before the observation filter reads them, the
 * late answer is written outside the audit and Spring Security (which touch the response on the way out), and the
 * audit wraps Spring Security to see its refusals.
 */
class FilterOrderTests extends GatewayTestSupport {

    @Autowired
    ApplicationContext context;

    private record Registered(String name, int order) {}

    @Test
    void everyFilterHasAnOrderOfItsOwnInTheTable() {
        List<Registered> filters = registeredFilters();

        assertThat(filters.stream().map(Registered::order).distinct().count())
                .as("orders shared by two filters: %s", filters)
                .isEqualTo(filters.size());
        assertThat(filters)
                .containsSubsequence(
                        new Registered("TraceHeaderFilter", FilterOrders.TRACE_HEADERS),
                        new Registered("ServerHttpObservationFilter", FilterOrders.BOOT_OBSERVATION),
                        new Registered("RequestIdFilter", FilterOrders.REQUEST_ID),
                        new Registered("ForwardedHeaderFilter", FilterOrders.FORWARDED_HEADERS),
                        new Registered("OrderedCharacterEncodingFilter", FilterOrders.BOOT_CHARACTER_ENCODING),
                        new Registered("TraceMethodFilter", FilterOrders.TRACE_METHOD),
                        new Registered("AuditFilter", FilterOrders.AUDIT),
                        new Registered("springSecurityFilterChain", FilterOrders.BOOT_SECURITY),
                        new Registered("BodySizeLimitFilter", FilterOrders.BODY_SIZE_LIMIT));
        assertThat(filters.stream().filter(f -> f.name().startsWith("com.") || isOurs(f.name())))
                .as("a filter of ours missing from FilterOrders")
                .allMatch(f -> List.of(
                                "TraceHeaderFilter",
                                "RequestIdFilter",
                                "TraceMethodFilter",
                                "AuditFilter",
                                "BodySizeLimitFilter")
                        .contains(f.name()));
    }

    private boolean isOurs(String name) {
        return context.getBeansOfType(Filter.class).values().stream()
                .anyMatch(filter -> filter.getClass().getSimpleName().equals(name)
                        && filter.getClass().getPackageName().startsWith("com.fecify"));
    }

    /** As the servlet container gets them: filter beans, and the filters of registration beans. */
    private List<Registered> registeredFilters() {
        List<Object> beans = new ArrayList<>();
        List<Filter> registered = new ArrayList<>();
        for (ServletContextInitializer initializer :
                context.getBeansOfType(ServletContextInitializer.class).values()) {
            if (initializer instanceof FilterRegistrationBean<?> registration) {
                registered.add(registration.getFilter());
                beans.add(initializer);
            } else if (initializer instanceof DelegatingFilterProxyRegistrationBean) {
                beans.add(initializer);
            }
        }
        context.getBeansOfType(Filter.class).values().stream()
                .filter(filter -> !registered.contains(filter))
                // Spring Security's chain is registered through its delegating proxy, not as a bean of its own
                .filter(filter -> !filter.getClass().getName().contains("FilterChainProxy"))
                .forEach(beans::add);
        beans.sort(AnnotationAwareOrderComparator.INSTANCE);
        return beans.stream()
                .map(bean -> new Registered(name(bean), order(bean)))
                .toList();
    }

    private static String name(Object bean) {
        if (bean instanceof FilterRegistrationBean<?> registration) {
            return registration.getFilter().getClass().getSimpleName();
        }
        if (bean instanceof DelegatingFilterProxyRegistrationBean) {
            return "springSecurityFilterChain";
        }
        return bean.getClass().getSimpleName();
    }

    private static int order(Object bean) {
        return bean instanceof Ordered ordered
                ? ordered.getOrder()
                : OrderUtils.getOrder(bean.getClass(), Ordered.LOWEST_PRECEDENCE);
    }
}
