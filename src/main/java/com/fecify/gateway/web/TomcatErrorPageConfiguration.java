package com.fecify.gateway.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link ProblemErrorReportValve} in place of Tomcat's (and Spring Boot's) HTML error report valve, and sets the
 * connector's answers that come before the application's (TRACE, {@code 100 Continue}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrorPageConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return new OrderedCustomizer();
    }

    private static final class OrderedCustomizer
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            // TRACE reaches the application, where TraceMethodFilter answers it (Tomcat's own refusal named every
            // method in Allow); it is never dispatched, so nothing echoes it
            factory.addConnectorCustomizers(connector -> {
                connector.setAllowTrace(true);
                // "Expect: 100-continue" is answered when the application is ready for the body (ExpectContinue), so
                // after the caller is authenticated and the announced size is checked: a refused caller gets its
                // refusal, not an invitation to send the body (Tomcat's default answers 100 as soon as the headers
                // are read)
                connector.setProperty("continueResponseTiming", "onRead");
            });
            factory.addContextValves(new ConnectionValve());
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemErrorReportValve());
                }
            });
        }

        @Override
        public int getOrder() {
            // after Spring Boot's own customizer, which adds its ErrorReportValve
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
