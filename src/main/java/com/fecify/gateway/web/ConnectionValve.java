package com.fecify.gateway.web;

import com.fecify.gateway.CallerConnection;
import com.fecify.gateway.ExpectContinue;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.http11.Http11InputBuffer;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves on each request what the application needs of the connection that the servlet API does not give:
 *
 * <ul>
 *   <li>where the caller sent {@code Expect: 100-continue}, the means to answer it later ({@link ExpectContinue}):
 *       Tomcat's own ACK action, the one its first body read would take;
 *   <li>a probe of whether the caller has closed its side of the connection ({@link CallerConnection}): the socket's
 *       {@link SocketWrapperBase#isReadyForRead()}, which reads what has arrived into Tomcat's own buffer without
 *       taking it (a pipelined next request stays there) and fails once the caller's end of stream has come. The
 *       socket is reached through Tomcat's HTTP/1.1 input buffer (one field, read reflectively); on any other
 *       protocol, or a Tomcat without that field, the probe answers "not known to be closed", as before.
 * </ul>
 */
final class ConnectionValve extends ValveBase {

    private static final Logger log = LoggerFactory.getLogger(ConnectionValve.class);
    private static final @Nullable Field SOCKET = socketField();

    ConnectionValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (coyote.hasExpectation()) {
            request.setAttribute(ExpectContinue.ATTRIBUTE, (Runnable)
                    () -> coyote.action(ActionCode.ACK, ContinueResponseTiming.ALWAYS));
        }
        if (SOCKET != null && coyote.getInputBuffer() instanceof Http11InputBuffer input) {
            request.setAttribute(CallerConnection.ATTRIBUTE, (BooleanSupplier) () -> peerClosed(input));
        }
        getNext().invoke(request, response);
    }

    private static boolean peerClosed(Http11InputBuffer input) {
        try {
            Field socket = SOCKET;
            if (socket != null && socket.get(input) instanceof SocketWrapperBase<?> wrapper && !wrapper.isClosed()) {
                wrapper.isReadyForRead();
                return false;
            }
            return false;
        } catch (IOException endOfStream) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException unknown) {
            return false;
        }
    }

    private static @Nullable Field socketField() {
        try {
            Field field = Http11InputBuffer.class.getDeclaredField("wrapper");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("Tomcat's HTTP/1.1 input buffer has no socket field here: callers that close their connection"
                    + " while the store works are noticed only when the answer cannot be written");
            return null;
        }
    }
}
