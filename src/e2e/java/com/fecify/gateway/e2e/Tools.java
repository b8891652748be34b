package com.fecify.gateway.e2e;

import java.io.File;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/** The real parts these tests drive, found on the machine; in CI ({@code CI=true}) a missing one fails the run. */
final class Tools {

    private Tools() {}

    /** The command's path; aborts the test where it is missing, fails it in CI (.ci/run installs it). */
    static String required(String command, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, command);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        String message = command + " is not on PATH (" + installHint + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; .ci/run must install it");
        }
        Assumptions.abort(message);
        return command;
    }

    static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + limit);
            }
            Thread.sleep(250);
        }
    }
}
