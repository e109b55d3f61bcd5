package org.cardiowatch.ingest.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.topics.Topic;

/** What becomes of one device message: a record for an analysis topic, or a rejection. */
public sealed interface IngestDecision {

    /** A checked reading, keyed by its patient. */
    record Accepted<V extends SpecificRecord>(Topic<String, V> topic, String patientId, V value)
            implements IngestDecision {
    }

    /** A refused message, keyed by the device id (or the topic, when it named no valid device). */
    record Rejected(IngestRejection rejection) implements IngestDecision {
    }
}
