package org.cardiowatch.alerts.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request that fails validation answers 400 with what is wrong, never a stack trace; a refusal the
 * code raised with its reason (a bad parameter, a patient not there or not the user's) carries the
 * reason too, as {@code {"error": ...}}.
 */
public class BadRequestMapper {

    private static final String UNREADABLE = "the body is not the JSON this request takes";

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    /** A body that is not JSON, or not the JSON this request takes; the parser's details stay out. */
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, UNREADABLE);
    }

    /** JSON of another shape ({@code []} for an object); Quarkus's own mapper would answer without the JSON reason. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return error(Response.Status.BAD_REQUEST, UNREADABLE);
    }

    /**
     * Any other refusal of the request (400, 404, 405, 415, …) that has no body yet: its reason as
     * {@code {"error": ...}}, its headers (Allow, Retry-After) kept.
     */
    @ServerExceptionMapper
    public Response clientError(WebApplicationException e) {
        Response refusal = e.getResponse();
        if (refusal.getStatus() < 400 || refusal.getStatus() >= 500 || refusal.hasEntity()) {
            return refusal;
        }
        String reason = e.getCause() instanceof JsonProcessingException ? UNREADABLE
                : e.getMessage() != null ? e.getMessage() : refusal.getStatusInfo().getReasonPhrase();
        return Response.fromResponse(refusal).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }

    private static Response error(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", reason == null ? status.getReasonPhrase() : reason)).build();
    }
}
