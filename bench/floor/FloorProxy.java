import java.net.URI;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The floor of the fixed stack: the thinnest proxy Spring MVC on Tomcat with WebClient can be. One route, the body
 * passed through as bytes, one header injected, the store's answer passed back; no validation, no caller
 * authentication, no security filters, no metrics, no tracing, no error mapping. The benchmarks compile it against the
 * gateway's own jars and measure it with the same load and the same launch (the run labelled {@code floor} in
 * {@code bench/cold.sh}, {@code BENCH_FLOOR=1 bench/run.sh warm}), so the gateway's figures can be read against what
 * its stack costs by itself. It reads the store's address and token from the gateway's own variables.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
    PropertyPlaceholderAutoConfiguration.class,
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class
})
@RestController
public class FloorProxy {

    private final WebClient store = WebClient.create();
    private final URI target = URI.create(System.getenv("FECIFY_BASE_URL") + "/api/skill/customer/update-customer");
    private final String token = System.getenv("FECIFY_ACCESS_TOKEN");

    @PostMapping("/api/skill/customer/update-customer")
    Mono<ResponseEntity<byte[]>> update(@RequestBody byte[] body) {
        return store.post()
                .uri(target)
                .header("skill-access-token", token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .retrieve()
                .toEntity(byte[].class);
    }

    public static void main(String[] args) {
        SpringApplication floor = new SpringApplication(FloorProxy.class);
        // the gateway's own settings of the parts both run (its application.yml), so that the floor differs from it
        // only in what it leaves out, whichever benchmark starts it
        floor.setDefaultProperties(Map.of(
                "server.tomcat.threads.max", "32",
                "server.tomcat.max-keep-alive-requests", "1000",
                "spring.mvc.publish-request-handled-events", "false"));
        floor.run(args);
    }
}
