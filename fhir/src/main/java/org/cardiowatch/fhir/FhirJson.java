package org.cardiowatch.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The one FHIR R4 context of a process (building one takes about a second), and JSON in and out. */
public final class FhirJson {

    public static final FhirContext R4 = FhirContext.forR4Cached();
    public static final String MEDIA_TYPE = "application/fhir+json";

    private FhirJson() {
    }

    public static String write(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    public static <T extends IBaseResource> T read(Class<T> type, String json) {
        return parser().parseResource(type, json);
    }

    /** Parsers are not thread-safe; they are cheap to make from the shared context. */
    private static IParser parser() {
        return R4.newJsonParser();
    }
}
