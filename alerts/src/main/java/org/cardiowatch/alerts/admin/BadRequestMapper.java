package org.cardiowatch.alerts.admin;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A request that fails validation answers 400 with what is wrong, never a stack trace. */
public class BadRequestMapper {

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage())).build();
    }
}
