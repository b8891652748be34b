package com.fecify.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fecify.gateway.Routes;
import com.fecify.gateway.batch.BatchBody;
import com.fecify.gateway.batch.BatchLine;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.fields.CodePoints;
import com.fecify.gateway.fields.CustomerChanges;
import com.fecify.gateway.fields.UpdateFields;
import com.fecify.gateway.update.DryRun;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.oas.models.servers.ServerVariables;
import io.swagger.v3.oas.models.tags.Tag;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document of the update routes (served at {@code /v3/api-docs}, committed as
 * {@code docs/openapi.json}), and the browser-session routes from {@link SessionRoutesDocument}. Written out here rather than derived from the controller, because the controller reads
 * raw bytes to check JSON types strictly: the field rules, every problem answer and the security schemes are stated
 * once, next to the code that enforces them.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "application/problem+json";
    static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String REF = "#/components/schemas/";
    static final String REQUEST_ID = "X-Request-Id";

    @Bean
    OpenAPI gatewayOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .openapi("3.0.3")
                .info(new Info()
                        .title("fecify-gateway")
                        .version(properties != null ? properties.getVersion() : "dev")
                        .description("Updates customers of a Fecify store without holding its skill-access-token."
                                + " Errors on /v1 are RFC 9457 problem+json with a stable `code`."))
                .servers(List.of(gateway()))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")
                                        .description("A service client's key"))
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("A service client's key, or an end user's JWT (three dot-separated"
                                                + " parts) from the configured issuer"))
                        .addSecuritySchemes(SessionRoutesDocument.SCHEME, SessionRoutesDocument.cookieScheme()))
                .tags(List.of(
                        new Tag().name("customers").description("The gateway's own routes"),
                        new Tag()
                                .name("drop-in")
                                .description("The store's own call, for callers moving off direct Fecify calls"),
                        SessionRoutesDocument.tag()))
                .security(List.of(
                        new SecurityRequirement().addList("apiKey"), new SecurityRequirement().addList("bearer")));
    }

    /** Puts the routes in order: springdoc finds them, this states what it cannot see. */
    @Bean
    OpenApiCustomizer updateRoutes(Validator validator) {
        BeanDescriptor rules = validator.getConstraintsForClass(CustomerChanges.class);
        return openApi -> {
            // set here, after springdoc has generated (and pruned) its own component schemas
            Map<String, Schema> schemas = new LinkedHashMap<>();
            schemas.put("CustomerChanges", changes(Changes.PATCH, rules));
            schemas.put("DropInUpdate", changes(Changes.DROP_IN, rules));
            schemas.put("Changes", changes(Changes.SENT, rules));
            schemas.put("Customer", customer());
            schemas.put("CustomervipId", customervipId());
            schemas.put("Envelope", envelope());
            schemas.put("Violation", violation());
            schemas.put("Problem", problem());
            schemas.put("DryRun", dryRun());
            schemas.put("BatchRequest", batchRequest());
            schemas.putAll(batchLines());
            schemas.put("BrowserSession", SessionRoutesDocument.browserSession());
            openApi.getComponents().setSchemas(schemas);
            PathItem patchPath = openApi.getPaths().get(Routes.CUSTOMER);
            if (patchPath != null && patchPath.getPatch() != null) {
                describePatch(patchPath.getPatch());
                SessionRoutesDocument.patch(patchPath.getPatch());
            }
            PathItem batchPath = openApi.getPaths().get(Routes.BATCH);
            if (batchPath != null && batchPath.getPost() != null) {
                describeBatch(batchPath.getPost());
            }
            PathItem dropInPath = openApi.getPaths().get(Routes.DROP_IN);
            if (dropInPath != null && dropInPath.getPost() != null) {
                describeDropIn(dropInPath.getPost());
            }
            // written out in full: with sessions on springdoc finds two of them, and the sign-in is filters it cannot
            // see
            SessionRoutesDocument.addPaths(openApi);
        };
    }

    private static void describePatch(Operation operation) {
        operation
                .operationId("updateCustomer")
                .summary("Change some fields of a customer")
                .description("Only the fields sent are changed. The answer is the store's `data` object unchanged.")
                .tags(List.of("customers"))
                .parameters(new ArrayList<>(List.of(
                        new PathParameter()
                                .name("id")
                                .required(true)
                                .description("The customer's id")
                                .schema(customerId()),
                        dryRunParameter(),
                        requestIdHeader())))
                .requestBody(body("#/components/schemas/CustomerChanges"))
                .responses(responses(
                        new ApiResponse()
                                .description("The updated customer; with `dry_run=true`, the changes the store would"
                                        + " get (nothing is sent)")
                                // exactly one: a dry run is closed and has dry_run, a customer never has dry_run
                                .content(content(JSON, new Schema<>().oneOf(List.of(ref("DryRun"), ref("Customer"))))),
                        false,
                        ANSWERED));
    }

    private static void describeBatch(Operation operation) {
        operation
                .operationId("updateCustomersBatch")
                .summary("Change many customers; the gateway paces the store calls")
                .description("1 to " + BatchBody.MAX_ITEMS
                        + " updates, each checked as a single PATCH would be. Refused as a whole (nothing"
                        + " sent) as problem+json; otherwise 200 and a stream of NDJSON lines, one per item as soon as"
                        + " it ends (completion order), then a summary line. Service callers only; each item takes"
                        + " one token of the caller's rate (the gateway waits for tokens). At most "
                        + Routes.Update.BATCH_UPDATE.maxBody() + ".")
                .tags(List.of("customers"))
                .parameters(new ArrayList<>(List.of(dryRunParameter(), requestIdHeader())))
                .requestBody(body("#/components/schemas/BatchRequest")
                        .description("At most " + Routes.Update.BATCH_UPDATE.maxBody()))
                .responses(responses(
                        new ApiResponse()
                                .description("One line per item (index, id, status, and customer, changes or"
                                        + " problem), then a summary line")
                                .content(new Content().addMediaType(NDJSON, ndjson())),
                        false,
                        BATCH_AS_A_WHOLE));
    }

    private static QueryParameter dryRunParameter() {
        return (QueryParameter) new QueryParameter()
                .name(DryRun.PARAMETER)
                .description("`true`: everything but the store call (authentication, permissions, rate limit, body"
                        + " rules)")
                .schema(new BooleanSchema()._default(false));
    }

    private static ObjectSchema dryRun() {
        ObjectSchema schema = new ObjectSchema();
        schema.description("A dry run's answer: exactly the fields the store would get");
        schema.setAdditionalProperties(Boolean.FALSE);
        schema.addProperty("dry_run", new BooleanSchema()._enum(List.of(true)));
        schema.addProperty("id", customerId());
        schema.addProperty("changes", ref("Changes"));
        schema.required(List.of("dry_run", "id", "changes"));
        return schema;
    }

    /**
     * The batch answer as OpenAPI 3.0 can say it: bytes not to be parsed as one JSON document ({@code format: binary}:
     * generated clients hand over a stream, a blob or a file, and validators leave it alone), and each line's schema
     * in {@code x-oai-itemSchema}, the registered extension that stands for OpenAPI 3.2's {@code itemSchema} of
     * sequential media types.
     */
    private static MediaType ndjson() {
        MediaType lines = new MediaType()
                .schema(new StringSchema()
                        .format("binary")
                        .description(
                                "NDJSON: one `BatchLine` a line, each ending in a newline; the summary line last"));
        lines.addExtension("x-oai-itemSchema", ref("BatchLine"));
        return lines;
    }

    private static ObjectSchema batchRequest() {
        ObjectSchema schema = new ObjectSchema();
        schema.setAdditionalProperties(Boolean.FALSE);
        ArraySchema updates = new ArraySchema().items(ref("DropInUpdate"));
        updates.minItems(1).maxItems(BatchBody.MAX_ITEMS);
        schema.addProperty("updates", updates);
        schema.required(List.of("updates"));
        return schema;
    }

    /**
     * The shapes of a batch answer's lines, read from the records the stream writes ({@link BatchLine}), each a named
     * schema ({@code BatchLine} and the record's name) that generated clients have as a model: each closed, with every
     * property it writes required, so that a line matches exactly one of them.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Schema> batchLines() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        List<Schema> shapes = new ArrayList<>();
        for (Class<?> line : BatchLine.class.getPermittedSubclasses()) {
            ObjectSchema shape = recordSchema(line, schemas);
            Integer status = FIXED_STATUS.get(line);
            if (status != null) {
                ((Schema<Integer>) shape.getProperties().get("status"))._enum(List.of(status));
            }
            String name = "BatchLine" + line.getSimpleName();
            schemas.put(name, shape.description(LINE_DESCRIPTIONS.get(line)));
            shapes.add(ref(name));
        }
        schemas.put(
                "BatchLine",
                new Schema<>()
                        .oneOf(shapes)
                        .description("One line of a batch answer: an item's outcome, or the summary, last"));
        return schemas;
    }

    /** The lines whose status is always the same: what their records' short constructors put there. */
    private static final Map<Class<?>, Integer> FIXED_STATUS =
            Map.of(BatchLine.Updated.class, Outcome.SUCCESS.status(), BatchLine.DryRun.class, Outcome.DRY_RUN.status());

    private static final Map<Class<?>, String> LINE_DESCRIPTIONS = Map.of(
            BatchLine.Updated.class, "An item the store accepted: the customer as the store returned it",
            BatchLine.DryRun.class, "An item a dry run accepted: exactly the fields the store would get",
            BatchLine.Failed.class, "An item refused or failed: the problem a single PATCH of it would have got",
            BatchLine.Summary.class, "The last line");

    /**
     * A record as Jackson writes it: its components in order, by their JSON names, all of them present; a record
     * inside it becomes a schema of {@code schemas} too, named {@code Batch} and its record's name.
     */
    private static ObjectSchema recordSchema(Class<?> record, Map<String, Schema> schemas) {
        ObjectSchema schema = new ObjectSchema();
        schema.setAdditionalProperties(Boolean.FALSE);
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            JsonProperty named = component.getAccessor().getAnnotation(JsonProperty.class);
            String name = named != null ? named.value() : component.getName();
            Schema<?> value = componentSchema(name, component.getType(), schemas);
            if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                value.nullable(true);
            }
            schema.addProperty(name, value);
            required.add(name);
        }
        schema.required(required);
        return schema;
    }

    private static Schema<?> componentSchema(String name, Class<?> type, Map<String, Schema> schemas) {
        if (name.equals("id")) {
            return customerId();
        }
        if (type == int.class) {
            return new IntegerSchema();
        }
        if (type == boolean.class) {
            return new BooleanSchema();
        }
        if (type == ProblemDetail.class) {
            return ref("Problem");
        }
        if (type == JsonNode.class && name.equals("customer")) {
            return ref("Customer");
        }
        if (type == JsonNode.class && name.equals("changes")) {
            return ref("Changes");
        }
        if (type.isRecord()) {
            String named = "Batch" + type.getSimpleName();
            schemas.put(named, recordSchema(type, schemas));
            return ref(named);
        }
        throw new IllegalStateException("No schema for " + name + " (" + type.getName() + ") of a batch line");
    }

    private static void describeDropIn(Operation operation) {
        operation
                .operationId("updateCustomerDropIn")
                .summary("The store's own update-customer call, without its token")
                .description("For callers moving off direct Fecify calls. Success is the store's envelope as is; a"
                        + " failure is an envelope with the HTTP status as `code`, `data: null` and `errors`.")
                .tags(List.of("drop-in"))
                .parameters(new ArrayList<>(List.of(requestIdHeader())))
                .requestBody(body("#/components/schemas/DropInUpdate"))
                .responses(responses(
                        new ApiResponse()
                                .description("The store's envelope, code 200")
                                .content(content(JSON, ref("Envelope"))),
                        true,
                        ANSWERED));
    }

    /** The id rule of the field table: 1 to its largest id. */
    private static IntegerSchema customerId() {
        return (IntegerSchema) new IntegerSchema()
                .format("int32")
                .description("1 to " + CustomerChanges.MAX_ID + "; in a path, decimal digits without a sign or leading"
                        + " zeros (`0574` is refused, which a JSON Schema for a path integer cannot say)")
                .minimum(BigDecimal.ONE)
                .maximum(BigDecimal.valueOf(CustomerChanges.MAX_ID));
    }

    /** Any value is taken (and replaced when not sane), so the parameter has no pattern; the answer's header has. */
    static HeaderParameter requestIdHeader() {
        return (HeaderParameter) new HeaderParameter()
                .name(REQUEST_ID)
                .description("Any value is accepted: when it is 1 to 128 of letters, digits and - _ . : it is echoed"
                        + " and sent to the store, otherwise the gateway puts a new id in its place")
                .schema(new StringSchema());
    }

    private static RequestBody body(String ref) {
        Schema<?> schema = new Schema<>().$ref(ref);
        return new RequestBody()
                .required(true)
                .description("At most " + Routes.Update.PATCH_CUSTOMER.maxBody()
                        + "; integers are JSON integers; null is never a value")
                .content(new Content()
                        .addMediaType(JSON, new MediaType().schema(schema))
                        .addMediaType("application/merge-patch+json", new MediaType().schema(schema)));
    }

    /**
     * The problems a single update can answer: all but what the container answers before any route runs (a wrong
     * method, an unknown transfer coding).
     */
    private static final Set<ErrorCode> ANSWERED =
            EnumSet.complementOf(EnumSet.of(ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.NOT_IMPLEMENTED));

    /**
     * The problems a batch answers as a whole, before its stream starts: its body, its caller, its size, its rate. What
     * the store answers is in each item's line ({@code BatchLineFailed}), never the batch's status.
     */
    private static final Set<ErrorCode> BATCH_AS_A_WHOLE = EnumSet.of(
            ErrorCode.VALIDATION_FAILED,
            ErrorCode.MALFORMED_JSON,
            ErrorCode.BAD_REQUEST,
            ErrorCode.UNAUTHORIZED,
            ErrorCode.FORBIDDEN,
            ErrorCode.REQUEST_TIMEOUT,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.RATE_LIMITED,
            ErrorCode.INTERNAL_ERROR);

    private static ApiResponses responses(ApiResponse success, boolean envelope, Set<ErrorCode> answered) {
        ApiResponses responses =
                new ApiResponses().addApiResponse("200", success.addHeaderObject(REQUEST_ID, requestId()));
        Map<Integer, List<ErrorCode>> byStatus = new LinkedHashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (answered.contains(code)) {
                byStatus.computeIfAbsent(code.status().value(), status -> new ArrayList<>())
                        .add(code);
            }
        }
        byStatus.forEach((status, codes) -> {
            String names = String.join(
                    ", ",
                    codes.stream()
                            .map(code -> "`" + code.code() + "`")
                            .distinct()
                            .toList());
            ApiResponse answer = new ApiResponse()
                    .description(codes.get(0).status().getReasonPhrase() + ": " + names)
                    .content(envelope ? content(JSON, ref("Envelope")) : content(PROBLEM, ref("Problem")))
                    .addHeaderObject(REQUEST_ID, requestId());
            if (status == 401) {
                answer.addHeaderObject(
                        "WWW-Authenticate",
                        header(
                                "Bearer realm=\"fecify-gateway\" (with error=\"invalid_token\" for a bad key or token)"));
            }
            if (status == 429 || status == 503) {
                answer.addHeaderObject("Retry-After", header("Whole seconds to wait before trying again"));
            }
            responses.addApiResponse(Integer.toString(status), answer);
        });
        return responses;
    }

    static Header requestId() {
        return new Header()
                .description("The caller's own id when sane (1 to 128 of letters, digits and - _ . :), else a new one")
                .schema(new StringSchema().pattern("^" + RequestIds.SANE + "$"));
    }

    static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    /** The three bodies of changes: a PATCH's, the drop-in route's (and a batch item's), and what the store gets. */
    private enum Changes {
        PATCH,
        DROP_IN,
        SENT
    }

    private static ObjectSchema changes(Changes shape, BeanDescriptor rules) {
        ObjectSchema schema = new ObjectSchema();
        schema.setAdditionalProperties(Boolean.FALSE);
        String fixed = String.join(
                        " and ",
                        CustomerChanges.FIXED.stream()
                                .sorted()
                                .map(name -> "`" + name + "`")
                                .toList())
                + " " + CustomerChanges.FIXED_RULE + ".";
        switch (shape) {
            case PATCH ->
                schema.description("The fields to change; at least one that changes something (`id` and"
                        + " `customervip_id: \"\"` change nothing). " + fixed);
            case DROP_IN ->
                schema.description("The store's request body: `id` and the fields to change, at least one"
                        + " that changes something (`customervip_id: \"\"` changes nothing). " + fixed);
            case SENT -> schema.description("Exactly the fields the store gets (never `customervip_id: \"\"`)");
        }
        if (shape != Changes.SENT) {
            IntegerSchema id = customerId();
            id.description(
                    shape == Changes.DROP_IN
                            ? "The customer to update"
                            : "Optional; must equal the id in the"
                                    + " path (which a JSON Schema cannot say: another id is refused with 400)");
            schema.addProperty("id", id);
        }
        UpdateFields.ALL.forEach(field -> {
            Schema<?> value = fieldSchema(field, rules);
            if (shape == Changes.SENT && value.getOneOf() != null) {
                value = value.getOneOf().get(0); // "" is never sent
            }
            schema.addProperty(field.jsonName(), value);
        });
        switch (shape) {
            case PATCH, DROP_IN -> schema.not(changesNothing());
            case SENT -> schema.minProperties(1);
        }
        if (shape == Changes.DROP_IN) {
            schema.required(List.of("id"));
        }
        return schema;
    }

    /** A body that changes nothing: no property but {@code id} and {@code ""} ("leave unchanged"), or none at all. */
    private static Schema<?> changesNothing() {
        ObjectSchema nothing = new ObjectSchema();
        nothing.setAdditionalProperties(Boolean.FALSE);
        nothing.addProperty("id", new Schema<>());
        UpdateFields.ALL.stream()
                .filter(field -> field.kind() == UpdateFields.Kind.INTEGER_OR_EMPTY)
                .forEach(field -> nothing.addProperty(field.jsonName(), new StringSchema()._enum(List.of(""))));
        return nothing;
    }

    /** A field's schema, from its JSON kind and the Bean Validation constraints that the reader enforces. */
    private static Schema<?> fieldSchema(UpdateFields.Field field, BeanDescriptor rules) {
        Schema<?> schema = field.kind() == UpdateFields.Kind.STRING ? new StringSchema() : new IntegerSchema();
        List<String> rulesText = new ArrayList<>();
        PropertyDescriptor property = rules.getConstraintsForProperty(field.component());
        Set<ConstraintDescriptor<?>> constraints = property == null ? Set.of() : property.getConstraintDescriptors();
        for (ConstraintDescriptor<?> constraint : constraints) {
            Annotation rule = constraint.getAnnotation();
            if (rule instanceof Pattern pattern) {
                schema.pattern("^" + pattern.regexp() + "$");
                rulesText.add(pattern.message());
            } else if (rule instanceof CodePoints length) {
                schema.maxLength(length.max());
            } else if (rule instanceof Min min) {
                schema.minimum(BigDecimal.valueOf(min.value()));
                rulesText.add(min.message());
            } else if (rule instanceof Max max) {
                schema.maximum(BigDecimal.valueOf(max.value()));
            }
        }
        if (schema instanceof IntegerSchema) {
            schema.format("int32");
        }
        String description = String.join("; ", rulesText.stream().distinct().toList());
        if (field.kind() != UpdateFields.Kind.INTEGER_OR_EMPTY) {
            return description.isEmpty() ? schema : schema.description(description);
        }
        Schema<Object> either = new Schema<>();
        either.oneOf(List.of(schema, new StringSchema()._enum(List.of("")).description("leave unchanged")));
        return either.description(description);
    }

    /**
     * The store's customer: every field its documentation names, each as the store may send it (null included, and
     * {@code customervip_id} as {@code ""}, which real stores answer), and any other it adds, kept. Never a dry run.
     */
    private static ObjectSchema customer() {
        ObjectSchema schema = new ObjectSchema();
        schema.description("The customer as the store returns it (its `data`, unchanged): the fields its documentation"
                + " names, each possibly null, and any other field it sends, passed through");
        schema.setAdditionalProperties(Boolean.TRUE);
        schema.addProperty("id", nullable(new IntegerSchema()));
        schema.addProperty("shop_id", nullable(new IntegerSchema()));
        schema.addProperty("email", nullable(new StringSchema()).description("Never changed through this API"));
        schema.addProperty("first_name", nullable(new StringSchema()));
        schema.addProperty("last_name", nullable(new StringSchema()));
        schema.addProperty("note", nullable(new StringSchema()));
        schema.addProperty("phone", nullable(new StringSchema()));
        schema.addProperty("phone_prefix", nullable(new StringSchema()));
        schema.addProperty(
                "accepts_marketing",
                nullable(new IntegerSchema()).description("1 accepts marketing e-mail, 2 declines"));
        schema.addProperty("customervip_id", ref("CustomervipId"));
        schema.addProperty(
                "payafteruse_status",
                nullable(new IntegerSchema()).description("With the pay-after-use plug-in: 1 or 2"));
        schema.addProperty(
                "payafteruse_level", nullable(new IntegerSchema()).description("With the pay-after-use plug-in"));
        schema.addProperty("created_at", nullable(new StringSchema()).example("2026-05-25 11:35:16"));
        schema.addProperty("updated_at", nullable(new StringSchema()).example("2026-05-25 11:37:57"));
        // what tells it from a dry run's answer in the 200 of PATCH
        ObjectSchema dryRun = new ObjectSchema();
        dryRun.addProperty("dry_run", new Schema<>());
        schema.not(dryRun.required(List.of("dry_run")));
        return schema;
    }

    /**
     * A stored customervip_id: an integer, or the {@code ""} or null real stores answer. Named, since answer validators
     * type an inline composed schema of a property as an object; anyOf, since a generated Java client finds a number
     * to be a string too (its reader coerces) and refuses a oneOf that both match.
     */
    private static Schema<?> customervipId() {
        return new Schema<>()
                .anyOf(List.of(nullable(new IntegerSchema()), new StringSchema()._enum(List.of(""))))
                .description("An integer; some stores answer \"\" or null");
    }

    private static <T extends Schema<?>> T nullable(T schema) {
        schema.setNullable(true);
        return schema;
    }

    /**
     * Where the gateway runs: a template whose defaults are the demo's address, so a generated client starts at
     * {@code http://localhost:8080} (a relative {@code /} made them default to port 80) and Swagger UI lets the reader
     * type the host.
     */
    private static Server gateway() {
        return new Server()
                .url("{scheme}://{host}")
                .description("Your gateway; the defaults are the demo's (docker compose up, or the demo profile)")
                .variables(new ServerVariables()
                        .addServerVariable(
                                "scheme", new ServerVariable()._default("http")._enum(List.of("http", "https")))
                        .addServerVariable(
                                "host",
                                new ServerVariable()._default("localhost:8080").description("host[:port] of the API")));
    }

    private static ObjectSchema envelope() {
        ObjectSchema schema = new ObjectSchema();
        schema.addProperty("code", new IntegerSchema().description("200 for success, else the HTTP status"));
        schema.addProperty("message", new StringSchema());
        // null on every failure (OpenAPI 3.0: nullable beside the type it widens, so the store's customer inline)
        schema.addProperty("data", customer().nullable(true).description("The customer; null on every failure"));
        schema.addProperty("errors", new ArraySchema().items(new Schema<>().$ref(REF + "Violation")));
        schema.addProperty("error_code", errorCodes());
        schema.addProperty("upstream_code", new IntegerSchema());
        schema.addProperty("request_id", new StringSchema());
        schema.required(List.of("code", "message"));
        return schema;
    }

    private static ObjectSchema violation() {
        ObjectSchema schema = new ObjectSchema();
        schema.addProperty("field", new StringSchema().nullable(true).description("As in the body; null: the body"));
        schema.addProperty("message", new StringSchema());
        // no type: any JSON value, null included (a typed "nullable" would need one type)
        schema.addProperty("rejected_value", new Schema<>().description("The value sent, of any JSON type; or null"));
        schema.required(List.of("field", "message", "rejected_value"));
        return schema;
    }

    private static ObjectSchema problem() {
        ObjectSchema schema = new ObjectSchema();
        schema.description("RFC 9457 problem details");
        schema.addProperty(
                "type", new StringSchema().format("uri").example("urn:fecify-gateway:problem:validation_failed"));
        schema.addProperty("title", new StringSchema());
        schema.addProperty("status", new IntegerSchema());
        schema.addProperty("detail", new StringSchema());
        schema.addProperty("instance", new StringSchema().format("uri-reference"));
        schema.addProperty("code", errorCodes());
        schema.addProperty("request_id", new StringSchema());
        schema.addProperty("errors", new ArraySchema().items(new Schema<>().$ref(REF + "Violation")));
        schema.addProperty("upstream_code", new IntegerSchema().description("The store's code, for upstream_rejected"));
        schema.required(List.of("type", "title", "status", "detail", "code", "request_id"));
        return schema;
    }

    private static StringSchema errorCodes() {
        StringSchema codes = new StringSchema();
        codes._enum(java.util.Arrays.stream(ErrorCode.values())
                .map(ErrorCode::code)
                .distinct()
                .toList());
        return codes;
    }

    static Content content(String mediaType, Schema<?> schema) {
        return new Content().addMediaType(mediaType, new MediaType().schema(schema));
    }

    static Schema<?> ref(String name) {
        return new Schema<>().$ref(REF + name);
    }
}
