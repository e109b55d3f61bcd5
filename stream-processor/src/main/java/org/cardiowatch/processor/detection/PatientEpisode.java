package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;

/**
 * One patient's alert of one kind, folded from the episodes of each of the patient's sources
 * (devices). Every rule runs on each device's signal alone, so a second device cannot mask what
 * the first shows; this fold keeps the care team's view at one alert per patient and kind: it
 * opens when any source opens, is updated when another source joins or the worst value gets
 * worse, and resolves only when every source that joined has resolved. Its resolution repeats
 * what it last said while open (the worst value, the summary) and says apart how it ended. A source that falls
 * silent during an episode keeps it open (its signal-loss notice says why): the fold never
 * decides on behalf of a source that stopped speaking; the end of its monitoring (revoked,
 * consent withdrawn, discharge) does ({@link #end}).
 *
 * <p>State per patient and kind: the open sources (at most the patient's devices, or the
 * measures for a disagreement) and the names of at most {@value #NAMED_SOURCES} sources.
 */
public final class PatientEpisode {

    /** Sources named in the evidence; more can join (and keep the alert open), unnamed. */
    public static final int NAMED_SOURCES = 8;

    private Instant onset;
    /** What the alert last said while open; its resolution keeps it, and says apart how it ended. */
    private String description = "";
    private double worst = Double.NaN;
    /** When the worst value was read (a rhythm finding's: the change that reported it). */
    private Instant worstAt;
    private final Map<String, Double> open = new LinkedHashMap<>();
    private final List<String> named = new ArrayList<>();
    // What the alert last said while open, for an end that comes without a finding of its own.
    private AlertSeverity severity = AlertSeverity.WARNING;
    private String measure;
    private double threshold = Double.NaN;
    private Instant lastAt;

    public boolean isOpen() {
        return onset != null;
    }

    /** Folds one source's finding in; returns the patient's alert change it causes, if any. */
    public Optional<PatientFinding> fold(SourceFinding change) {
        Finding finding = change.finding();
        String source = change.source();
        if (finding.state() == AlertState.RESOLVED) {
            return resolve(change);
        }
        boolean joining = !open.containsKey(source);
        open.put(source, worstOf(finding));
        if (!isOpen()) {
            onset = finding.onset();
            worst = worstOf(finding);
            worstAt = Double.isNaN(worst) ? null : finding.worstSeenAt();
            named.clear();
            name(source);
            return describe(emit(change, AlertState.OPEN, finding.summary() + " on " + source));
        }
        boolean worse = isWorse(finding.kind(), worstOf(finding), worst);
        if (worse) {
            worst = worstOf(finding);
            worstAt = finding.worstSeenAt();
        }
        if (joining) {
            name(source);
            return describe(emit(change, AlertState.UPDATED, finding.summary() + " on " + source + " as well"));
        }
        return worse ? describe(emit(change, AlertState.UPDATED, finding.summary() + " on " + source)) : Optional.empty();
    }

    private Optional<PatientFinding> resolve(SourceFinding change) {
        String source = change.source();
        if (!isOpen() || open.remove(source) == null) {
            return Optional.empty();
        }
        if (!open.isEmpty()) {
            return emit(change, AlertState.UPDATED, source + ": " + change.finding().summary()
                    + "; still on " + String.join(", ", open.keySet()));
        }
        Finding f = change.finding();
        Finding ended = new Finding(f.kind(), f.severity(), AlertState.RESOLVED, onset, f.at(), description, f.measure(),
                f.threshold(), f.lastValue(), Double.isNaN(worst) ? null : worst, f.beats());
        PatientFinding resolved = new PatientFinding(ended, change.deviceId(), List.copyOf(named),
                f.summary() + " on " + source, worstAt);
        onset = null;
        worst = Double.NaN;
        worstAt = null;
        description = "";
        named.clear();
        return Optional.of(resolved);
    }

    private Optional<PatientFinding> emit(SourceFinding change, AlertState state, String summary) {
        Finding f = change.finding();
        severity = f.severity();
        measure = f.measure();
        threshold = f.threshold() == null ? Double.NaN : f.threshold();
        lastAt = f.at();
        Finding patient = new Finding(f.kind(), f.severity(), state, onset, f.at(), summary, f.measure(), f.threshold(),
                f.lastValue(), Double.isNaN(worst) ? null : worst, f.beats());
        return Optional.of(new PatientFinding(patient, change.deviceId(), List.copyOf(named), null, worstAt));
    }

    /**
     * The end of a source's monitoring, decided by a person (device revoked, consent withdrawn,
     * discharge): the source leaves the episode, which resolves with {@code why} as its
     * resolution when no source is left.
     *
     * @param kind this episode's kind (its key's)
     * @param source the device whose monitoring ended; null for all the patient's sources
     * @param at when it was decided; the change is dated no earlier than the episode's last one
     */
    public Optional<PatientFinding> end(AlertKind kind, String source, Instant at, String why) {
        if (!isOpen() || (source != null && open.remove(source) == null)) {
            return Optional.empty();
        }
        Instant when = lastAt != null && lastAt.isAfter(at) ? lastAt : at;
        Double worstValue = Double.isNaN(worst) ? null : worst;
        Double limit = Double.isNaN(threshold) ? null : threshold;
        if (source != null && !open.isEmpty()) {
            lastAt = when;
            Finding still = new Finding(kind, severity, AlertState.UPDATED, onset, when,
                    source + ": " + why + "; still on " + String.join(", ", open.keySet()), measure, limit, null,
                    worstValue);
            return Optional.of(new PatientFinding(still, source, List.copyOf(named), null, worstAt));
        }
        Finding ended = new Finding(kind, severity, AlertState.RESOLVED, onset, when, description, measure, limit, null,
                worstValue);
        PatientFinding resolved = new PatientFinding(ended, source, List.copyOf(named), why, worstAt);
        open.clear();
        onset = null;
        worst = Double.NaN;
        worstAt = null;
        description = "";
        named.clear();
        return Optional.of(resolved);
    }

    /** Keeps what an opening or worsening said, for the resolution to repeat. */
    private Optional<PatientFinding> describe(Optional<PatientFinding> change) {
        change.ifPresent(c -> description = c.finding().summary());
        return change;
    }

    private void name(String source) {
        if (named.size() < NAMED_SOURCES && !named.contains(source)) {
            named.add(source);
        }
    }

    private static double worstOf(Finding finding) {
        return finding.worstValue() == null ? Double.NaN : finding.worstValue();
    }

    /** Whether {@code candidate} is further on the dangerous side of this kind than {@code worst}. */
    static boolean isWorse(AlertKind kind, double candidate, double worst) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(worst)) {
            return true;
        }
        return switch (kind) {
            case BRADYCARDIA, LOW_SPO2, LOW_SYSTOLIC -> candidate < worst;
            default -> candidate > worst;
        };
    }

    public void write(DataOutput out) throws IOException {
        out.writeLong(onset == null ? Long.MIN_VALUE : onset.toEpochMilli());
        out.writeUTF(description);
        out.writeDouble(worst);
        out.writeShort(open.size());
        for (Map.Entry<String, Double> entry : open.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeDouble(entry.getValue());
        }
        out.writeShort(named.size());
        for (String source : named) {
            out.writeUTF(source);
        }
        // Added after the first release: a state written before ends here (see read).
        out.writeUTF(severity.name());
        out.writeUTF(measure == null ? "" : measure);
        out.writeDouble(threshold);
        out.writeLong(lastAt == null ? Long.MIN_VALUE : lastAt.toEpochMilli());
        // Added with Alert v6: a state written before ends here.
        out.writeLong(worstAt == null ? Long.MIN_VALUE : worstAt.toEpochMilli());
    }

    public static PatientEpisode read(DataInput in) throws IOException {
        PatientEpisode episode = new PatientEpisode();
        long onset = in.readLong();
        episode.onset = onset == Long.MIN_VALUE ? null : Instant.ofEpochMilli(onset);
        episode.description = in.readUTF();
        episode.worst = in.readDouble();
        for (int i = in.readShort(); i > 0; i--) {
            episode.open.put(in.readUTF(), in.readDouble());
        }
        for (int i = in.readShort(); i > 0; i--) {
            episode.named.add(in.readUTF());
        }
        try {
            episode.severity = AlertSeverity.valueOf(in.readUTF());
        } catch (EOFException writtenBeforeTheseFields) {
            // Its next change fills them in; until then an end says WARNING.
            return episode;
        }
        String measure = in.readUTF();
        episode.measure = measure.isEmpty() ? null : measure;
        episode.threshold = in.readDouble();
        long lastAt = in.readLong();
        episode.lastAt = lastAt == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastAt);
        try {
            long worstAt = in.readLong();
            episode.worstAt = worstAt == Long.MIN_VALUE ? null : Instant.ofEpochMilli(worstAt);
        } catch (EOFException writtenBeforeWorstAt) {
            // Its worst value's time is not known until a worse one comes.
        }
        return episode;
    }
}
