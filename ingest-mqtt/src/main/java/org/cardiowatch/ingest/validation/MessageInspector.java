package org.cardiowatch.ingest.validation;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import org.cardiowatch.ingest.envelope.DeviceRegistry;
import org.cardiowatch.ingest.guard.RateLimiter;
import org.cardiowatch.ingest.guard.ReplayGuard;
import org.cardiowatch.ingest.kafka.IngestDecision;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.IngestRejection;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.wire.DevicePayloads;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.cardiowatch.schemas.wire.RejectedMessageException;
import org.cardiowatch.schemas.wire.SealedEnvelope;

/**
 * The ingest gate: runs the checks on one device message in order and says where it goes.
 * Cheap checks first, so a flood of garbage costs little: topic, size, device registered and
 * active, envelope authentic, not a replay, within the device's rate, reading well-formed and
 * physiologically possible, consent active.
 */
public final class MessageInspector {

    private static final int MAX_TOPIC_CHARS = 256;

    private final DeviceRegistry devices;
    private final ConsentRegistry consents;
    private final ReadingValidator validator;
    private final ReplayGuard replays;
    private final RateLimiter rates;
    private final int maxPayloadBytes;
    private final boolean requireCertifiedIdentity;
    private final Clock clock;

    /**
     * @param requireCertifiedIdentity refuse messages the broker did not stamp with the sender's
     *     certified device id (a broker without the CardioWatch device access extension)
     */
    public MessageInspector(DeviceRegistry devices, ConsentRegistry consents, ReadingValidator validator,
            ReplayGuard replays, RateLimiter rates, int maxPayloadBytes, boolean requireCertifiedIdentity,
            Clock clock) {
        this.devices = devices;
        this.consents = consents;
        this.validator = validator;
        this.replays = replays;
        this.rates = rates;
        this.maxPayloadBytes = maxPayloadBytes;
        this.requireCertifiedIdentity = requireCertifiedIdentity;
        this.clock = clock;
    }

    /** Called once Kafka holds an accepted reading: from then on its sequence number is spent. */
    public void written(IngestDecision decision) {
        if (decision instanceof IngestDecision.Accepted<?> accepted) {
            IngestDecision.Envelope envelope = accepted.envelope();
            replays.recordAccepted(envelope.deviceId(), envelope.sequence(), envelope.fingerprint());
        }
    }

    /**
     * @param certifiedIdentity the device id in the sender's client certificate, as the broker
     *     stamped it on the message; null when the broker did not
     */
    public IngestDecision inspect(String mqttTopic, byte[] payload, String certifiedIdentity) {
        Instant receivedAt = clock.instant();
        String deviceId = null;
        Long sequence = null;
        try {
            DeviceTopic topic = DeviceTopic.parse(mqttTopic);
            deviceId = topic.deviceId();
            requireSameIdentity(topic, certifiedIdentity);
            if (payload.length > maxPayloadBytes) {
                throw new RejectedMessageException(RejectionReason.PAYLOAD_TOO_LARGE,
                        "payload of " + payload.length + " bytes exceeds " + maxPayloadBytes);
            }
            sequence = SealedEnvelope.unauthenticatedSequence(payload);
            Device device = activeDevice(topic.deviceId());
            SealedEnvelope.Opened opened = SealedEnvelope.open(
                    SealedEnvelope.key(device.getPayloadKey().array()), topic, payload);
            IngestDecision.Envelope envelope = new IngestDecision.Envelope(
                    device.getDeviceId(), opened.sequence(), SealedEnvelope.fingerprint(payload));
            ReplayGuard.Verdict verdict = replays.check(envelope.deviceId(), envelope.sequence(), envelope.fingerprint());
            if (verdict == ReplayGuard.Verdict.REDELIVERY) {
                return new IngestDecision.Redelivered(envelope);
            }
            if (verdict == ReplayGuard.Verdict.REPLAYED) {
                throw new RejectedMessageException(RejectionReason.REPLAYED,
                        "sequence number already used by this device, or older than the replay window");
            }
            if (!rates.tryAcquire(device.getDeviceId())) {
                throw new RejectedMessageException(RejectionReason.RATE_LIMITED,
                        "device sends faster than its configured message rate");
            }
            return switch (topic.stream()) {
                case VITALS -> acceptVitals(device, opened, envelope, receivedAt);
                case ECG -> acceptEcg(device, opened, envelope, receivedAt);
            };
        } catch (RejectedMessageException e) {
            return reject(mqttTopic, deviceId, certifiedIdentity, sequence, payload, receivedAt, e);
        }
    }

    private void requireSameIdentity(DeviceTopic topic, String certifiedIdentity) throws RejectedMessageException {
        if (certifiedIdentity == null && requireCertifiedIdentity) {
            throw new RejectedMessageException(RejectionReason.DEVICE_IDENTITY_MISMATCH,
                    "message carries no certified device identity: is the broker's device access extension installed?");
        }
        if (certifiedIdentity != null && !certifiedIdentity.equals(topic.deviceId())) {
            throw new RejectedMessageException(RejectionReason.DEVICE_IDENTITY_MISMATCH,
                    "the sender's certificate names another device than the topic");
        }
    }

    private Device activeDevice(String deviceId) throws RejectedMessageException {
        Device device = devices.find(deviceId).orElseThrow(() ->
                new RejectedMessageException(RejectionReason.UNKNOWN_DEVICE, "device is not enrolled"));
        if (device.getStatus() != DeviceStatus.ACTIVE) {
            throw new RejectedMessageException(RejectionReason.DEVICE_REVOKED, "device enrolment is revoked");
        }
        if (device.getPayloadKey().remaining() != SealedEnvelope.KEY_BYTES) {
            throw new RejectedMessageException(RejectionReason.AUTHENTICATION_FAILED,
                    "device registry holds no valid payload key for this device");
        }
        return device;
    }

    private IngestDecision acceptVitals(Device device, SealedEnvelope.Opened opened, IngestDecision.Envelope envelope,
            Instant receivedAt)
            throws RejectedMessageException {
        DeviceVitals reading = DevicePayloads.decodeVitals(opened.contentType(), opened.plaintext());
        validator.check(reading, receivedAt);
        requireConsent(device.getPatientId());
        VitalSigns vitals = VitalSigns.newBuilder()
                .setPatientId(device.getPatientId())
                .setDeviceId(device.getDeviceId())
                .setSequence(opened.sequence())
                .setMeasuredAt(reading.getMeasuredAt())
                .setReceivedAt(receivedAt)
                .setHeartRateBpm(reading.getHeartRateBpm())
                .setRrIntervalsMs(reading.getRrIntervalsMs())
                .setSpo2Percent(reading.getSpo2Percent())
                .setSystolicMmHg(reading.getSystolicMmHg())
                .setDiastolicMmHg(reading.getDiastolicMmHg())
                .build();
        return new IngestDecision.Accepted<>(Topics.VITALS, device.getPatientId(), vitals, envelope);
    }

    private IngestDecision acceptEcg(Device device, SealedEnvelope.Opened opened, IngestDecision.Envelope envelope,
            Instant receivedAt)
            throws RejectedMessageException {
        DeviceEcg reading = DevicePayloads.decodeEcg(opened.contentType(), opened.plaintext());
        validator.check(reading, receivedAt);
        requireConsent(device.getPatientId());
        EcgSegment segment = EcgSegment.newBuilder()
                .setPatientId(device.getPatientId())
                .setDeviceId(device.getDeviceId())
                .setSequence(opened.sequence())
                .setStartedAt(reading.getStartedAt())
                .setReceivedAt(receivedAt)
                .setSampleRateHz(reading.getSampleRateHz())
                .setLead(reading.getLead())
                .setSamplesMicroVolts(reading.getSamplesMicroVolts())
                .build();
        return new IngestDecision.Accepted<>(Topics.ECG, device.getPatientId(), segment, envelope);
    }

    private void requireConsent(String patientId) throws RejectedMessageException {
        if (!consents.hasActiveConsent(patientId)) {
            throw new RejectedMessageException(RejectionReason.CONSENT_MISSING,
                    "the patient has no active consent to remote monitoring");
        }
    }

    private static IngestDecision reject(String mqttTopic, String deviceId, String certifiedIdentity, Long sequence,
            byte[] payload, Instant receivedAt, RejectedMessageException e) {
        String topic = mqttTopic == null ? "" : mqttTopic;
        IngestRejection rejection = IngestRejection.newBuilder()
                .setMqttTopic(topic.length() > MAX_TOPIC_CHARS ? topic.substring(0, MAX_TOPIC_CHARS) : topic)
                .setDeviceId(deviceId)
                // Who really sent it: an operator must see the sender of a message to another device's topic.
                .setCertifiedDeviceId(certifiedIdentity == null || certifiedIdentity.isEmpty() ? null : certifiedIdentity)
                .setReason(e.reason())
                .setDetail(e.getMessage())
                .setSequence(sequence)
                .setPayloadBytes(payload.length)
                .setPayloadSha256(ByteBuffer.wrap(sha256(payload)))
                .setReceivedAt(receivedAt)
                .build();
        return new IngestDecision.Rejected(rejection);
    }

    private static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
