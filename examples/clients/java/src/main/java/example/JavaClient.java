package example;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fecify.gateway.client.ApiClient;
import com.fecify.gateway.client.ApiException;
import com.fecify.gateway.client.api.CustomersApi;
import com.fecify.gateway.client.model.BatchLine;
import com.fecify.gateway.client.model.BatchLineDryRun;
import com.fecify.gateway.client.model.BatchLineFailed;
import com.fecify.gateway.client.model.BatchLineSummary;
import com.fecify.gateway.client.model.BatchLineUpdated;
import com.fecify.gateway.client.model.BatchRequest;
import com.fecify.gateway.client.model.Customer;
import com.fecify.gateway.client.model.CustomerChanges;
import com.fecify.gateway.client.model.DropInUpdate;
import com.fecify.gateway.client.model.DryRun;
import com.fecify.gateway.client.model.Problem;
import com.fecify.gateway.client.model.UpdateCustomer200Response;
import com.fecify.gateway.client.model.Violation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * openapi-generator's Java (native) client against a live gateway: an update, a dry run, a refused update and a
 * batch, each answer read as its generated model. GATEWAY_URL and GATEWAY_KEY say where (the demo's defaults);
 * STORE_EXTRA names a field the store adds that the client must keep.
 */
public final class JavaClient {

    private static final int CUSTOMER = 574;
    private static final int MISSING = 999;

    public static void main(String[] args) throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(env("GATEWAY_URL", "http://localhost:8080"));
        client.setRequestInterceptor(request -> request.header("X-API-Key", env("GATEWAY_KEY", "demo-key")));
        // the generated unions count every model Jackson can fill, and a lenient read fills them all: tell the shapes
        // apart by the property only one of them has (the document's closed shapes and required properties say so)
        ObjectMapper mapper = client.getObjectMapper()
                .copy()
                .addMixIn(UpdateCustomer200Response.class, UpdateByShape.class)
                .addMixIn(BatchLine.class, LineByShape.class);
        client.setObjectMapper(mapper);
        CustomersApi api = new CustomersApi(client);

        Customer updated = api.updateCustomer(
                        CUSTOMER, new CustomerChanges().firstName("Ada").payafteruseStatus(1), false, null)
                .getCustomer();
        expect("update: first name", updated.getFirstName(), "Ada");
        expect("update: a field outside the old document", updated.getPayafteruseStatus(), 1);
        String extra = System.getenv("STORE_EXTRA");
        if (extra != null) {
            expect("update: the store's own field " + extra, updated.getAdditionalProperty(extra) != null, true);
        }

        DryRun dryRun = api.updateCustomer(CUSTOMER, new CustomerChanges().acceptsMarketing(1), true, null)
                .getDryRun();
        expect("dry run: dry_run", dryRun.getDryRun(), true);
        expect("dry run: changes", dryRun.getChanges().getAcceptsMarketing(), 1);

        try {
            api.updateCustomer(CUSTOMER, new CustomerChanges().acceptsMarketing(3), false, null);
            throw new AssertionError("expected a refusal");
        } catch (ApiException refusal) {
            Problem problem = mapper.readValue(refusal.getResponseBody(), Problem.class);
            expect("refused: status and code", refusal.getCode() + " " + problem.getCode(), "400 validation_failed");
            expect(
                    "refused: field",
                    problem.getErrors().stream().map(Violation::getField).toList(),
                    List.of("accepts_marketing"));
        }

        // the batch's 200 is a stream of lines (binary for the generator, which saves it to a file): a BatchLine each
        File answer = api.updateCustomersBatch(
                new BatchRequest()
                        .updates(List.of(
                                new DropInUpdate().id(CUSTOMER).lastName("Lovelace"),
                                new DropInUpdate().id(MISSING).note("x"))),
                false,
                null);
        List<String> seen = new ArrayList<>();
        for (String text : Files.readAllLines(answer.toPath())) {
            Object line = mapper.readValue(text, BatchLine.class).getActualInstance();
            if (line instanceof BatchLineUpdated item) {
                seen.add("updated " + item.getId() + " " + item.getCustomer().getLastName());
            } else if (line instanceof BatchLineFailed item) {
                seen.add("failed " + item.getId() + " " + item.getStatus() + " " + item.getProblem().getCode());
            } else if (line instanceof BatchLineSummary item) {
                seen.add("summary " + item.getSummary().getTotal() + "/" + item.getSummary().getSucceeded());
            } else if (line instanceof BatchLineDryRun item) {
                seen.add("dry run " + item.getId());
            }
        }
        seen.sort(null);
        expect(
                "batch: lines",
                seen,
                List.of("failed " + MISSING + " 404 customer_not_found", "summary 2/1", "updated " + CUSTOMER + " Lovelace"));
        Files.delete(answer.toPath());
    }

    /** A PATCH answer: a dry run has dry_run, a customer never has. */
    @JsonDeserialize(using = UpdateByShape.Reader.class)
    abstract static class UpdateByShape {
        static final class Reader extends StdDeserializer<UpdateCustomer200Response> {
            Reader() {
                super(UpdateCustomer200Response.class);
            }

            @Override
            public UpdateCustomer200Response deserialize(JsonParser parser, DeserializationContext context)
                    throws IOException {
                JsonNode json = parser.readValueAsTree();
                UpdateCustomer200Response answer = new UpdateCustomer200Response();
                Class<?> shape = json.has("dry_run") ? DryRun.class : Customer.class;
                answer.setActualInstance(parser.getCodec().treeToValue(json, shape));
                return answer;
            }
        }
    }

    /** A batch line: the summary, a problem, a dry run's changes or the store's customer, each in one shape only. */
    @JsonDeserialize(using = LineByShape.Reader.class)
    abstract static class LineByShape {
        static final class Reader extends StdDeserializer<BatchLine> {
            Reader() {
                super(BatchLine.class);
            }

            @Override
            public BatchLine deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                JsonNode json = parser.readValueAsTree();
                Class<?> shape = json.has("summary")
                        ? BatchLineSummary.class
                        : json.has("problem")
                                ? BatchLineFailed.class
                                : json.has("changes") ? BatchLineDryRun.class : BatchLineUpdated.class;
                BatchLine line = new BatchLine();
                line.setActualInstance(parser.getCodec().treeToValue(json, shape));
                return line;
            }
        }
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private static void expect(String what, Object actual, Object expected) {
        if (!Objects.equals(String.valueOf(actual), String.valueOf(expected))) {
            System.err.println("FAIL " + what + ": expected " + expected + ", got " + actual);
            System.exit(1);
        }
        System.out.println("ok   " + what + ": " + actual);
    }
}
