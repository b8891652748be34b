package com.fecify.gateway.api;

import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;

/**
 * The browser-session routes in the OpenAPI document ({@code /bff/*}), the session cookie as a security scheme, and
 * what a session changes on {@code PATCH /v1/customers/{id}}. Documented whether sessions are on or not, so the
 * document is one; the routes exist only when {@code gateway.sessions.issuer-uri} is set. The sign-in routes are
 * Spring Security's filters, which springdoc cannot see: every operation here is written out.
 */
final class SessionRoutesDocument {

    static final String TAG = "browser-sessions";
    static final String SCHEME = "session";
    private static final String SIGN_IN_COOKIE = Routes.Sessions.SIGN_IN_COOKIE;
    private static final String UNLISTED_ORIGIN = "a page on an origin not in gateway.cors.allowed-origins";

    private SessionRoutesDocument() {}

    static SecurityScheme cookieScheme() {
        return new SecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.COOKIE)
                .name(Routes.Sessions.DEFAULT_COOKIE)
                .description("A browser session (set by " + Routes.Sessions.CALLBACK + "; HttpOnly, Secure,"
                        + " SameSite=Strict; renamed by gateway.sessions.cookie-name). A request it authenticates that"
                        + " changes something must also carry `" + Routes.Sessions.CSRF_HEADER + ": 1`.");
    }

    static Tag tag() {
        return new Tag()
                .name(TAG)
                .description("Sign-in for frontends that hold no token: the gateway is the provider's confidential"
                        + " client and the browser holds only an HttpOnly session cookie. These routes exist when"
                        + " gateway.sessions.issuer-uri is set (otherwise 404).");
    }

    /**
     * What a session adds to PATCH: the cookie as a third way in. Its CSRF header is said in words, not as a parameter:
     * no schema can make a header required with one credential only, and an optional parameter would change the
     * signature every generated client has for the service callers, who never send it.
     */
    static void patch(Operation operation) {
        operation.security(List.of(
                new SecurityRequirement().addList("apiKey"),
                new SecurityRequirement().addList("bearer"),
                new SecurityRequirement().addList(SCHEME)));
        operation.description(operation.getDescription() + " With the session cookie as the credential, the request"
                + " must also carry `" + Routes.Sessions.CSRF_HEADER + ": 1` (else 403 `forbidden`, nothing sent).");
    }

    static void addPaths(OpenAPI openApi) {
        openApi.path(Routes.Sessions.LOGIN, new PathItem().get(login()));
        openApi.path(Routes.Sessions.CALLBACK, new PathItem().get(callback()));
        openApi.path(Routes.Sessions.SESSION, new PathItem().get(session()));
        openApi.path(Routes.Sessions.LOGOUT, new PathItem().post(logout()));
        openApi.path(Routes.Sessions.BACKCHANNEL_LOGOUT, new PathItem().post(backChannelLogout()));
    }

    /** {@code GET /bff/session}'s answer: closed, every property there. */
    static ObjectSchema browserSession() {
        ObjectSchema schema = new ObjectSchema();
        schema.description("A live browser session: never a token");
        schema.setAdditionalProperties(Boolean.FALSE);
        schema.addProperty("subject", new StringSchema().description("The user at the identity provider (`sub`)"));
        schema.addProperty(
                "customer_id",
                new IntegerSchema().format("int64").description("The one customer this session may update"));
        schema.addProperty(
                "fields",
                new ArraySchema()
                        .items(new StringSchema())
                        .description("The fields it may change (gateway.jwt.fields)"));
        schema.addProperty(
                "expires_at",
                new StringSchema()
                        .format("date-time")
                        .description("When the session ends if unused (RFC 3339, UTC): the idle timeout from now,"
                                + " never past the maximum age"));
        schema.required(List.of("subject", "customer_id", "fields", "expires_at"));
        return schema;
    }

    private static Operation login() {
        return operation("signIn", "Start a sign-in: off to the identity provider")
                .description("Navigate the browser here (not `fetch`). Authorization code with PKCE (S256), `state`"
                        + " and `nonce`, scope `openid`; the sign-in's state rides in the " + SIGN_IN_COOKIE
                        + " cookie (SameSite=Lax, so it survives the provider's redirect back).")
                .security(List.of())
                .addParametersItem(new QueryParameter()
                        .name("return_to")
                        .description("Where the browser goes after the sign-in: an absolute http(s) URL on a return"
                                + " origin (gateway.sessions.return-origins); default the first return origin")
                        .schema(new StringSchema()))
                .addParametersItem(OpenApiConfiguration.requestIdHeader())
                .responses(new ApiResponses()
                        .addApiResponse(
                                "302",
                                redirect("To the provider's authorization endpoint")
                                        .addHeaderObject(
                                                "Set-Cookie",
                                                OpenApiConfiguration.header("The sign-in's cookie, " + SIGN_IN_COOKIE)))
                        .addApiResponse(
                                "400",
                                problem(
                                        ErrorCode.VALIDATION_FAILED,
                                        "`return_to` is not a URL on a return origin;" + " no redirect")));
    }

    private static Operation callback() {
        return operation("signInCallback", "The provider's redirect back after a sign-in")
                .description("Checks `state` against the browser that started the sign-in, exchanges the code with the"
                        + " client secret, validates the ID token (signature, `iss`, `aud`, `nonce`, `exp`) and its"
                        + " customer claim, then starts a new session. Never called by a page's script.")
                .security(List.of())
                .addParametersItem(query("code", "The authorization code"))
                .addParametersItem(query("state", "The sign-in's state"))
                .addParametersItem(query("error", "The provider's refusal (`access_denied`, ...)"))
                .addParametersItem(query("error_description", "The provider's words for it"))
                .addParametersItem(query("iss", "The provider's issuer (RFC 9207)"))
                .addParametersItem(query("session_state", "The provider's session (OpenID Connect Session Management)"))
                .addParametersItem(OpenApiConfiguration.requestIdHeader())
                .responses(new ApiResponses()
                        .addApiResponse(
                                "302",
                                redirect("Signed in: to `return_to`, the session cookie set. Not signed in: to"
                                                + " `return_to` (the first return origin when the state cannot be"
                                                + " trusted) with `login_error` `access_denied`, `invalid_state`,"
                                                + " `invalid_token` or `no_customer`, and no session")
                                        .addHeaderObject(
                                                "Set-Cookie",
                                                OpenApiConfiguration.header(
                                                        "The session cookie (on success); the sign-in's cookie"
                                                                + " cleared"))));
    }

    private static Operation session() {
        return operation("getSession", "Who the session is, what it may change, when it ends")
                .description("No CSRF header needed (it changes nothing). Call with `credentials: \"include\"`.")
                .security(List.of(new SecurityRequirement().addList(SCHEME)))
                .addParametersItem(OpenApiConfiguration.requestIdHeader())
                .responses(new ApiResponses()
                        .addApiResponse(
                                "200",
                                new ApiResponse()
                                        .description("A live session")
                                        .content(OpenApiConfiguration.content(
                                                OpenApiConfiguration.JSON, OpenApiConfiguration.ref("BrowserSession")))
                                        .addHeaderObject(
                                                OpenApiConfiguration.REQUEST_ID, OpenApiConfiguration.requestId()))
                        .addApiResponse(
                                "401",
                                problem(ErrorCode.UNAUTHORIZED, "No live session: sign in at " + Routes.Sessions.LOGIN))
                        .addApiResponse("403", problem(ErrorCode.FORBIDDEN, UNLISTED_ORIGIN)));
    }

    private static Operation logout() {
        return operation("signOut", "End the session")
                .description("Ends the session in the store, clears the cookie and revokes the session's refresh token"
                        + " at the provider (where it advertises a revocation endpoint). Without a live session there"
                        + " is nothing to end: 204 as well.")
                .security(List.of(new SecurityRequirement().addList(SCHEME), new SecurityRequirement()))
                .addParametersItem(csrfHeader())
                .addParametersItem(OpenApiConfiguration.requestIdHeader())
                .responses(new ApiResponses()
                        .addApiResponse("204", new ApiResponse().description("Signed out"))
                        .addApiResponse(
                                "403",
                                problem(
                                        ErrorCode.FORBIDDEN,
                                        "No `" + Routes.Sessions.CSRF_HEADER + ": 1`, or " + UNLISTED_ORIGIN
                                                + "; nothing ended")));
    }

    private static Operation backChannelLogout() {
        ObjectSchema form = new ObjectSchema();
        form.addProperty(
                "logout_token",
                new StringSchema().description("A logout token signed by the provider for the gateway's client"));
        form.required(List.of("logout_token"));
        return operation("backChannelLogout", "OpenID Connect Back-Channel Logout 1.0: the provider ends sessions")
                .description("For the identity provider, not for browsers: a valid `logout_token` ends the sessions of"
                        + " its `sid` (without one, of its `sub`) on every replica sharing the store.")
                .security(List.of())
                .requestBody(new RequestBody()
                        .required(true)
                        .content(new Content()
                                .addMediaType("application/x-www-form-urlencoded", new MediaType().schema(form))))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("The sessions are ended"))
                        .addApiResponse(
                                "400",
                                problem(
                                        ErrorCode.BAD_REQUEST,
                                        "Not a valid logout token of this gateway's provider; nothing ended"))
                        .addApiResponse(
                                "408",
                                problem(
                                        ErrorCode.REQUEST_TIMEOUT,
                                        "The body did not arrive within gateway.limits.body-read-timeout"))
                        .addApiResponse(
                                "413",
                                problem(
                                        ErrorCode.PAYLOAD_TOO_LARGE,
                                        "The body is over " + Routes.readableSize(Routes.MAX_OTHER_BODY_BYTES))));
    }

    private static Operation operation(String id, String summary) {
        return new Operation().operationId(id).summary(summary).tags(List.of(TAG));
    }

    private static HeaderParameter csrfHeader() {
        return (HeaderParameter) new HeaderParameter()
                .name(Routes.Sessions.CSRF_HEADER)
                .required(true)
                .description("Must be `1`: a custom header no other site can send without a CORS preflight")
                .schema(new StringSchema()._enum(List.of("1")));
    }

    private static Parameter query(String name, String description) {
        return new QueryParameter().name(name).description(description).schema(new StringSchema());
    }

    private static ApiResponse redirect(String description) {
        return new ApiResponse()
                .description(description)
                .addHeaderObject("Location", OpenApiConfiguration.header("Where the browser goes next"));
    }

    private static ApiResponse problem(ErrorCode code, String description) {
        return new ApiResponse()
                .description(code.status().getReasonPhrase() + ": `" + code.code() + "`: " + description)
                .content(
                        OpenApiConfiguration.content(OpenApiConfiguration.PROBLEM, OpenApiConfiguration.ref("Problem")))
                .addHeaderObject(OpenApiConfiguration.REQUEST_ID, OpenApiConfiguration.requestId());
    }
}
