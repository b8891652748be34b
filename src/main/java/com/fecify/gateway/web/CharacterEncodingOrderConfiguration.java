package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.servlet.filter.OrderedCharacterEncodingFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's {@code CharacterEncodingFilter}, kept as Boot configures it, at an order of its own
 * ({@link FilterOrders#BOOT_CHARACTER_ENCODING}) rather than {@code HIGHEST_PRECEDENCE}, the one place before the
 * observation filter, which the trace header filter needs.
 */
@Configuration(proxyBeanMethods = false)
class CharacterEncodingOrderConfiguration {

    @Bean
    static BeanPostProcessor characterEncodingFilterOrder() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof OrderedCharacterEncodingFilter filter) {
                    filter.setOrder(FilterOrders.BOOT_CHARACTER_ENCODING);
                }
                return bean;
            }
        };
    }
}
