package org.cardiowatch.schemas.topics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards schema evolution. Versions are compared in Avro's parsing canonical form, the form whose
 * fingerprint single-object encoding writes in front of each record. Changing a schema under src/main/avro means committing it as the next
 * version under src/main/resources/avro-history/NAME/; these tests then prove that the current
 * schema reads every released version (the data already in the topics and on devices).
 */
class SchemaEvolutionTest {

    static Stream<Schema> currentSchemas() {
        List<Schema> schemas = new ArrayList<>();
        Topics.all().forEach(topic -> schemas.add(schemaOf(topic)));
        schemas.add(DeviceVitals.getClassSchema());
        schemas.add(DeviceEcg.getClassSchema());
        return schemas.stream();
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void shouldHaveTheCurrentSchemaCommittedAsTheLatestReleasedVersion(Schema current) {
        List<Schema> released = SchemaHistory.versionsOf(current.getName());

        assertThat("avro-history/" + current.getName() + " must hold the released versions", released, not(empty()));
        assertThat("a changed schema must be committed as avro-history/" + current.getName() + "/v"
                + (released.size() + 1) + ".avsc",
                SchemaNormalization.toParsingForm(released.get(released.size() - 1)),
                equalTo(SchemaNormalization.toParsingForm(current)));
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void shouldReadDataWrittenWithEveryReleasedVersion(Schema current) {
        for (Schema writer : SchemaHistory.versionsOf(current.getName())) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
            assertThat("current " + current.getName() + " must read data written with " + writer
                    + ": " + result.getResult().getIncompatibilities(),
                    result.getType(), equalTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE));
        }
    }

    private static Schema schemaOf(Topic<?, ?> topic) {
        return SpecificData.get().getSchema(((AvroSerde<?>) topic.valueSerde()).type());
    }
}
