package com.fecify.gateway.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.OrderUtils;

/**
 * LateAnswer writes the store's answer once the request thread has left LateAnswerFilter: every filter that touches
 * the response on the way out (the audit line, Spring Security's headers) must stand inside it, and its order must
 * be its own, not a tie that bean registration order would settle.
 */
class FilterOrderTests extends GatewayTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void lateAnswerFilterStandsOutsideTheAuditAndSecurityFilters() {
        List<Object> filters = new ArrayList<>();
        filters.addAll(context.getBeansOfType(Filter.class).values());
        context.getBeansOfType(ServletContextInitializer.class).values().stream()
                .filter(initializer -> !(initializer instanceof FilterRegistrationBean<?> registration)
                        || !filters.contains(registration.getFilter()))
                .forEach(filters::add);
        filters.sort(AnnotationAwareOrderComparator.INSTANCE);
        List<String> names = filters.stream()
                .map(filter -> filter.getClass().getSimpleName())
                .toList();

        int late = names.indexOf("LateAnswerFilter");
        int audit = names.indexOf("AuditFilter");
        int security = names.indexOf("DelegatingFilterProxyRegistrationBean");
        assertThat(late).isNotNegative();
        assertThat(late).isLessThan(audit);
        assertThat(audit).isLessThan(security);

        int order = OrderUtils.getOrder(LateAnswerFilter.class, Ordered.LOWEST_PRECEDENCE);
        assertThat(filters.stream()
                        .filter(filter -> !(filter instanceof LateAnswerFilter))
                        .map(filter -> filter instanceof Ordered ordered
                                ? ordered.getOrder()
                                : OrderUtils.getOrder(filter.getClass(), Ordered.LOWEST_PRECEDENCE)))
                .as("no other filter shares LateAnswerFilter's order")
                .doesNotContain(order);
    }
}
