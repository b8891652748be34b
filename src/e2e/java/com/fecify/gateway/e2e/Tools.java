package com.fecify.gateway.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** A JDK of at least this feature version: the one running, or one under /usr/lib/jvm (Keycloak 26 needs 21). */
    static String javaHome(int feature) throws IOException {
        if (Runtime.version().feature() >= feature) {
            return System.getProperty("java.home");
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var homes = Files.list(jvms)) {
                for (Path home : homes.sorted(Comparator.reverseOrder()).toList()) {
                    Path release = home.resolve("release");
                    if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
                        Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)")
                                .matcher(Files.readString(release));
                        if (version.find() && Integer.parseInt(version.group(1)) >= feature) {
                            return home.toString();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no JDK " + feature + "+ (the running one is " + Runtime.version()
                + "; none under /usr/lib/jvm)");
    }
}
