package com.fecify.gateway.update;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a request body with servlet non-blocking I/O: the container calls back as bytes arrive, so no thread waits
 * on a caller that sends its body slowly. The size limit of the wrapped stream still applies (its read fails).
 */
public final class AsyncBody implements ReadListener {

    /** What the buffer starts with beside the bytes at hand. */
    static final int INITIAL_CAPACITY = 8192;

    private final ServletInputStream in;
    private final ByteArrayOutputStream body;
    private final byte[] chunk = new byte[8192];
    private final Consumer<byte[]> done;
    private final Consumer<Throwable> failed;
    private final AtomicBoolean ended = new AtomicBoolean();

    private AsyncBody(
            ServletInputStream in, byte[] start, int expected, Consumer<byte[]> done, Consumer<Throwable> failed) {
        this.in = in;
        // memory for what has arrived, never for what the caller announced: a megabyte announced and never sent
        // takes a chunk, not a megabyte (the buffer grows as bytes come)
        this.body = new ByteArrayOutputStream(Math.max(start.length, Math.min(expected, INITIAL_CAPACITY)));
        this.body.write(start, 0, start.length);
        this.done = done;
        this.failed = failed;
    }

    /**
     * Reads the rest of a body of which {@code start} has arrived; exactly one of {@code done} or {@code failed} is
     * called later, on a container thread.
     */
    public static void read(
            ServletInputStream in, byte[] start, int expected, Consumer<byte[]> done, Consumer<Throwable> failed) {
        in.setReadListener(new AsyncBody(in, start, expected, done, failed));
    }

    @Override
    public void onDataAvailable() {
        try {
            while (!ended.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                body.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // over the size limit, cut short, or a broken chunk: answered by us, so the container does not close the
            // exchange as failed before the answer is written
            onError(e);
        }
    }

    @Override
    public void onAllDataRead() {
        if (ended.compareAndSet(false, true)) {
            done.accept(body.toByteArray());
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (ended.compareAndSet(false, true)) {
            failed.accept(failure);
        }
    }
}
