package org.cardiowatch.alerts.audit;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.cardiowatch.schemas.avro.AuditOutcome;

/** A signed-in user calling a path their role does not allow: 403, and an audit event of the attempt. */
@Provider
public class ForbiddenAuditMapper implements ExceptionMapper<ForbiddenException> {

    private final AuditLog audit;
    private final SecurityIdentity identity;

    @Context
    UriInfo uri;

    ForbiddenAuditMapper(AuditLog audit, SecurityIdentity identity) {
        this.audit = audit;
        this.identity = identity;
    }

    @Override
    public Response toResponse(ForbiddenException exception) {
        audit.record(identity, "access.denied", null, "/" + uri.getPath().replaceFirst("^/", ""), AuditOutcome.DENIED);
        return Response.status(Response.Status.FORBIDDEN).build();
    }
}
