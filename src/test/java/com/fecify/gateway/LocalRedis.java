package com.fecify.gateway;

import java.net.Socket;
import java.nio.file.Path;

/** A real redis-server on loopback for the tests that share state between gateways (installed by .ci/run). */
public final class LocalRedis {

    public static final Path SERVER = Path.of("/usr/bin/redis-server");

    private LocalRedis() {}

    /** Starts one on {@code port}, without persistence, and waits until it takes connections. */
    public static Process start(int port) throws Exception {
        Process redis = new ProcessBuilder(
                        SERVER.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return redis;
            } catch (Exception notYet) {
                Thread.sleep(50);
            }
        }
        redis.destroyForcibly();
        throw new IllegalStateException("redis-server did not start");
    }
}
