package org.cardiowatch.processor.topology;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.cardiowatch.processor.detection.BeatRate;
import org.cardiowatch.processor.detection.BreachState;
import org.cardiowatch.processor.detection.EndedMonitoring;
import org.cardiowatch.processor.detection.InstantIO;
import org.cardiowatch.processor.detection.PatientEpisode;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.SequenceWindow;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.QrsDetector;
import org.cardiowatch.processor.detection.rhythm.RhythmMonitor;
import org.cardiowatch.processor.detection.MinuteAccumulator;
import org.cardiowatch.processor.detection.SignalLossMonitor.SignalState;
import org.cardiowatch.processor.detection.UnanalysedRecords;

/**
 * Serdes of the processor's own state (stores and their changelogs). Each starts with a format
 * version byte so a later change can still read what an older version left in the changelog.
 */
final class StateSerdes {

    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;

    static final Serde<DeviceRules> DEVICE_RULES = deviceRules();
    static final Serde<PatientEpisode> PATIENT_EPISODE = serde((out, value) -> value.write(out), PatientEpisode::read);
    static final Serde<SourceAgreement.State> SOURCE_AGREEMENT = serde((out, value) -> value.write(out),
            SourceAgreement.State::read);
    static final Serde<SignalState> SIGNAL_STATE = serde(StateSerdes::writeSignal, StateSerdes::readSignal);
    static final Serde<MinuteAccumulator> MINUTE = serde((out, value) -> value.write(out), MinuteAccumulator::read);
    static final Serde<EcgAnalysis> ECG_ANALYSIS = serde(StateSerdes::writeEcg, StateSerdes::readEcg);
    static final Serde<RhythmMonitor.State> RHYTHM = serde((out, value) -> value.write(out), RhythmMonitor.State::read);
    static final Serde<BeatRate> BEAT_RATE = serde((out, value) -> value.write(out), BeatRate::read);
    static final Serde<EndedMonitoring> ENDED_MONITORING = serde((out, value) -> value.write(out), EndedMonitoring::read);
    static final Serde<UnanalysedRecords.State> UNANALYSED = serde((out, value) -> value.write(out),
            UnanalysedRecords.State::read);
    static final Serde<Long> EPOCH_MILLIS = serde(DataOutput::writeLong, DataInput::readLong);
    static final Serde<SequenceWindow> SEQUENCE_WINDOW = serde((out, value) -> {
        out.writeLong(value.highest());
        out.writeLong(value.seen());
    }, in -> new SequenceWindow(in.readLong(), in.readLong()));

    private StateSerdes() {
    }

    private interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> write(FORMAT_V1, writer, value), (topic, data) -> read(data, (format, in) -> {
            if (format != FORMAT_V1) {
                throw new SerializationException("Unknown processor state format " + format);
            }
            return reader.read(in);
        }));
    }

    /** Format 1 held one rule's state (its kind in the key), format 2 every rule's state of a device. */
    private static Serde<DeviceRules> deviceRules() {
        // A value read in format 1 is written back as it was read (only a test writes one).
        return Serdes.serdeFrom((topic, value) -> value != null && value.legacyState() != null
                        ? write(FORMAT_V1, BreachState::write, value.legacyState())
                        : write(FORMAT_V2, (out, rules) -> rules.write(out), value),
                (topic, data) -> read(data, (format, in) -> switch (format) {
                    case FORMAT_V1 -> DeviceRules.legacy(BreachState.read(in));
                    case FORMAT_V2 -> DeviceRules.read(in);
                    default -> throw new SerializationException("Unknown processor state format " + format);
                }));
    }

    private interface FormatReader<T> {
        T read(byte format, DataInput in) throws IOException;
    }

    private static <T> byte[] write(byte format, Writer<T> writer, T value) {
        if (value == null) {
            return null;
        }
        StateBytes.Out bytes = new StateBytes.Out();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(format);
            writer.write(out, value);
        } catch (IOException e) {
            throw new SerializationException("Cannot write processor state", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] data, FormatReader<T> reader) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new StateBytes.In(data))) {
            return reader.read(in.readByte(), in);
        } catch (IOException e) {
            throw new SerializationException("Cannot read processor state", e);
        }
    }

    private static void writeSignal(DataOutput out, SignalState state) throws IOException {
        InstantIO.write(out, state.lastArrival());
        InstantIO.write(out, state.lostSince());
        out.writeUTF(state.deviceId() == null ? "" : state.deviceId());
    }

    private static SignalState readSignal(DataInput in) throws IOException {
        Instant lastArrival = InstantIO.read(in);
        Instant lostSince = InstantIO.read(in);
        String deviceId = in.readUTF();
        return new SignalState(lastArrival, lostSince, deviceId.isEmpty() ? null : deviceId);
    }

    private static void writeEcg(DataOutput out, EcgAnalysis analysis) throws IOException {
        out.writeLong(analysis.originMillis());
        out.writeLong(analysis.lastBeatMillis());
        analysis.detector().writeState(out);
        analysis.classifier().writeState(out);
    }

    private static EcgAnalysis readEcg(DataInput in) throws IOException {
        long origin = in.readLong();
        long lastBeat = in.readLong();
        QrsDetector detector = QrsDetector.readState(in);
        BeatClassifier classifier;
        try {
            classifier = BeatClassifier.readState(in);
        } catch (java.io.EOFException writtenBeforeBeatClasses) {
            // State written before beats were classified ends with the detector: its classifier starts afresh.
            classifier = new BeatClassifier(detector.sampleRateHz(), detector.nextIndex());
        }
        return new EcgAnalysis(origin, lastBeat, detector, classifier);
    }
}
