package com.fecify.gateway;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link InvalidConfigurationException} into Spring Boot's short "APPLICATION FAILED TO START" report. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        String description =
                "fecify-gateway is not configured correctly:\n  - " + String.join("\n  - ", cause.problems());
        return new FailureAnalysis(
                description, "Set the variables named above (see README.md, \"Configuration\") and start again.", null);
    }
}
