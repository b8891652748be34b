package com.fecify.gateway;

import java.util.List;

/**
 * Start-up configuration that cannot work. Each problem names the environment variable to set; the
 * {@link InvalidConfigurationFailureAnalyzer} prints them without a stack trace. Never put a secret in a problem.
 */
public class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** Throws when any problem was found. */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }
}
