package com.fecify.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FecifyGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(FecifyGatewayApplication.class, args);
    }
}
