package com.fecify.gateway.error;

import com.fecify.gateway.Routes;
import com.fecify.gateway.fields.CustomerChanges;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every exception a controller or the MVC machinery raises becomes the same problem+json (or envelope). */
@RestControllerAdvice
class GatewayExceptionHandler extends ResponseEntityExceptionHandler {

    private final ErrorResponder responder;

    GatewayExceptionHandler(ErrorResponder responder) {
        this.responder = responder;
    }

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<Object> handleGateway(GatewayException ex, HttpServletRequest request) {
        return responder.render(request, ex);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) {
        return responder.render(request, responder.answerFor(request, ex));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        HttpServletRequest servletRequest = ((ServletWebRequest) request).getRequest();
        return responder.render(servletRequest, translate(ex, statusCode, servletRequest), headers);
    }

    private GatewayException translate(Exception ex, HttpStatusCode status, HttpServletRequest request) {
        GatewayException known = ErrorResponder.gatewayExceptionIn(ex);
        if (known != null) {
            return known;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return new GatewayException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json (or application/merge-patch+json).");
        }
        if (ex instanceof HttpRequestMethodNotSupportedException notSupported) {
            return new GatewayException(
                    ErrorCode.METHOD_NOT_ALLOWED,
                    "Method " + notSupported.getMethod() + " is not allowed here; see the Allow header.");
        }
        if (ex instanceof MissingPathVariableException missing) {
            // Spring drops a blank path segment before it reaches the controller: same rule, same answer.
            return GatewayException.validation(
                    List.of(new Violation(missing.getVariableName(), CustomerChanges.ID_RULE, null)));
        }
        if (ex instanceof NoHandlerFoundException || ex instanceof NoResourceFoundException) {
            return notFound();
        }
        if (status.is4xxClientError()) {
            return new GatewayException(ErrorCode.BAD_REQUEST, "The request cannot be processed as sent.");
        }
        return responder.answerFor(request, ex);
    }

    static GatewayException notFound() {
        return new GatewayException(ErrorCode.NOT_FOUND, "No route here. Routes: " + Routes.list() + ".");
    }
}
