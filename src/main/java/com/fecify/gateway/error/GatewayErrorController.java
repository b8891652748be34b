package com.fecify.gateway.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's whitelabel {@code /error}: errors raised by the servlet container or by filters (outside
 * any controller) get the same problem+json as everything else.
 */
@RestController
class GatewayErrorController implements ErrorController {

    private final ErrorResponder responder;

    GatewayErrorController(ErrorResponder responder) {
        this.responder = responder;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (exception instanceof Throwable throwable) {
            GatewayException known = ErrorResponder.gatewayExceptionIn(throwable);
            if (known != null) {
                return responder.render(request, known);
            }
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 404;
        if (exception instanceof Throwable throwable && isConnectionFailure(throwable)) {
            // the request's own bytes could not be read (a body cut short, a broken chunk): the caller's doing
            code = 400;
        }
        ErrorCode errorCode = ErrorCode.forContainerStatus(code);
        GatewayException error = switch (errorCode) {
            case NOT_FOUND -> GatewayExceptionHandler.notFound();
            case INTERNAL_ERROR ->
                exception instanceof Throwable throwable
                        ? responder.answerFor(request, throwable)
                        : GatewayException.internalError();
            default -> new GatewayException(errorCode, "The request cannot be processed as sent.");
        };
        return responder.render(request, error);
    }

    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
