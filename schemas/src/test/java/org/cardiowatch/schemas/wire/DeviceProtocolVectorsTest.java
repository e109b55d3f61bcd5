package org.cardiowatch.schemas.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.junit.jupiter.api.Test;

/**
 * The device protocol's test vectors (docs/device-protocol-vectors.json) against the real code, both
 * ways: sealing each reading with its key, sequence and nonce gives exactly its envelope; opening each
 * envelope gives its plaintext, which decodes to its reading; each changed envelope is refused with its
 * reason. A device maker checks their firmware against the file; this test keeps the file true.
 */
class DeviceProtocolVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The tests run in the module's folder; the file is in the repository's docs/. */
    private static final Path FILE = Path.of("..").resolve(DeviceProtocolVectors.FILE);

    @Test
    void shouldHoldWhatTheCodeGives() throws Exception {
        assertThat("docs/device-protocol-vectors.json is out of date: run DeviceProtocolVectors.main",
                Files.readString(FILE), equalTo(DeviceProtocolVectors.json()));
    }

    @Test
    void shouldSealEachReadingToItsEnvelopeAndOpenItBack() throws Exception {
        JsonNode file = new ObjectMapper().readTree(FILE.toFile());
        byte[] key = HEX.parseHex(file.get("keyHex").asText());
        assertThat(file.get("vectors"), org.hamcrest.Matchers.iterableWithSize(3));
        for (JsonNode vector : file.get("vectors")) {
            byte[] plaintext = HEX.parseHex(vector.get("plaintextHex").asText());
            byte[] envelope = HEX.parseHex(vector.get("envelopeHex").asText());
            DeviceProtocolVectors.Vector sealed = new DeviceProtocolVectors.Vector(vector.get("name").asText(),
                    vector.get("topic").asText(), vector.get("contentType").asInt(), vector.get("sequence").asLong(),
                    HEX.parseHex(vector.get("nonceHex").asText()), vector.get("reading").asText(), plaintext);
            assertThat(sealed.name() + ": seal gives the envelope", HEX.formatHex(sealed.envelope()),
                    equalTo(HEX.formatHex(envelope)));

            DeviceTopic topic = DeviceProtocolVectors.topicOf(sealed.topic());
            SealedEnvelope.Opened opened = SealedEnvelope.open(SealedEnvelope.key(key), topic, envelope);
            assertThat(sealed.name() + ": open gives the plaintext", HEX.formatHex(opened.plaintext()),
                    equalTo(HEX.formatHex(plaintext)));
            assertThat(opened.sequence(), equalTo(sealed.sequence()));
            if (topic.stream() == DeviceStream.ECG) {
                assertThat(DevicePayloads.decodeEcg(opened.contentType(), opened.plaintext()).getLead(), equalTo("I"));
            } else {
                DeviceVitals reading = DevicePayloads.decodeVitals(opened.contentType(), opened.plaintext());
                assertThat(sealed.name() + ": the reading", reading.getHeartRateBpm(), equalTo(72f));
                assertThat(reading.getSpo2Percent(), equalTo(97f));
            }
        }
    }

    @Test
    void shouldRefuseEachChangedEnvelopeWithItsReason() throws Exception {
        JsonNode file = new ObjectMapper().readTree(FILE.toFile());
        byte[] key = HEX.parseHex(file.get("keyHex").asText());
        assertThat(file.get("refusals"), org.hamcrest.Matchers.iterableWithSize(9));
        for (JsonNode refusal : file.get("refusals")) {
            RejectedMessageException refused = assertThrows(RejectedMessageException.class,
                    () -> SealedEnvelope.open(SealedEnvelope.key(key),
                            DeviceProtocolVectors.topicOf(refusal.get("topic").asText()),
                            HEX.parseHex(refusal.get("envelopeHex").asText())), refusal.get("name").asText());
            assertThat(refusal.get("name").asText(), refused.reason().name(), equalTo(refusal.get("reason").asText()));
        }
    }

    @Test
    void shouldGiveTheKeyAsEnrolmentDoesInBase64() throws Exception {
        JsonNode file = new ObjectMapper().readTree(FILE.toFile());
        assertThat(java.util.Base64.getDecoder().decode(file.get("keyBase64").asText()),
                equalTo(HEX.parseHex(file.get("keyHex").asText())));
        assertThat(HEX.parseHex(file.get("keyHex").asText()).length, equalTo(SealedEnvelope.KEY_BYTES));
        assertThat(file.get("vectors").findValuesAsText("topic"), hasSize(3));
    }
}
