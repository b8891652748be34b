package com.fecify.gateway.update;

import com.fecify.gateway.fields.UpdateFields;

import com.fecify.gateway.Caller;
import com.fecify.gateway.RateBucket;
import com.fecify.gateway.error.GatewayException;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Reading one update: strict JSON parse, field types, caller permissions, Bean Validation, the store's body. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CustomerUpdateReaderBenchmark {

    private static final byte[] DROP_IN = bytes(
            "{\"id\":574,\"first_name\":\"yunlong2\",\"last_name\":\"li1\",\"phone\":\"+1 565689891\",\"accepts_marketing\":1}");
    private static final byte[] PATCH = bytes("{\"first_name\":\"yunlong2\",\"accepts_marketing\":2,\"note\":\"vip\"}");
    private static final byte[] INVALID =
            bytes("{\"first_name\":null,\"accepts_marketing\":\"1\",\"email\":\"x@example.com\"}");

    private final Caller caller = new Caller("bench", "bench", Set.copyOf(UpdateFields.names()), null, RateBucket.UNLIMITED);
    private ValidatorFactory validation;
    private CustomerUpdateReader reader;

    @Setup
    public void setUp() {
        validation = Validation.buildDefaultValidatorFactory();
        reader = new CustomerUpdateReader(validation.getValidator());
    }

    @TearDown
    public void tearDown() {
        validation.close();
    }

    @Benchmark
    public CustomerUpdate dropInBody() {
        return reader.readDropIn(DROP_IN, caller, new UpdateAudit());
    }

    @Benchmark
    public CustomerUpdate patchBody() {
        return reader.readPatch("574", PATCH, caller, new UpdateAudit());
    }

    /** A body with three violations: what a rejected (400) update costs to read. */
    @Benchmark
    public Object invalidBody() {
        try {
            return reader.readPatch("574", INVALID, caller, new UpdateAudit());
        } catch (GatewayException expected) {
            return expected;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
