package org.cardiowatch.processor.detection.rhythm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cardiowatch.processor.detection.BeatEvidence;
import org.cardiowatch.processor.detection.Finding;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;

/**
 * Rhythm analysis of one patient's beats, from ECG and from a wearable's RR intervals alike:
 * atrial fibrillation (one {@link AfDetector} per source; one alert for the patient while any
 * source shows AF; from ECG the RR intervals' call is shown only while fewer than half of the
 * last {@value #P_WAVE_BEATS} beats had a P wave, which AF has not, and ends once three quarters
 * have one) and pauses (an RR interval above the limit; the alert stays open, updated by
 * longer pauses, until no pause has occurred for a quiet period). From ECG beats, which carry their
 * class, ventricular tachycardia ({@link TachycardiaRun}): a run of 3 or more V beats at 100 bpm
 * or more opens VENTRICULAR_TACHYCARDIA (WARNING), a run lasting 30 s makes it CRITICAL (sustained
 * VT), and it resolves once no such run has occurred for a minute: one alert per episode, however
 * many salvos it has. (Runs of S beats raise nothing: a sinus rhythm that speeds up within seconds
 * has its first fast beats called S, and would read as supraventricular tachycardia.) Ventricular
 * bigeminy ({@value #BIGEMINY_BEATS} beats or more alternating normal and ventricular) and frequent
 * premature ventricular beats (V beats {@value #FREQUENT_PVC_PERCENT} % or more of the last hour's
 * beats, or the share the patient's physician set, once an hour holds {@value #BURDEN_MIN_BEATS}
 * beats; resolved under half that) are INFO
 * alerts, one per episode, for the cardiologist's review rather than an alarm.
 */
public final class RhythmMonitor {

    /** The ECG beats whose P waves are counted against an AF call from the RR intervals. */
    static final int P_WAVE_BEATS = 16;
    /** With this many of them having P waves the atria beat in order: no AF shown (half). */
    static final int P_WAVES_FOR_ORDER = 8;
    /** With this many an AF episode shown from the ECG ends (three quarters: no flapping in between). */
    static final int P_WAVES_BACK = 12;
    static final int BIGEMINY_BEATS = 6;
    static final Duration BIGEMINY_QUIET = Duration.ofSeconds(60);
    /** The default share of an hour's beats being ventricular that raises FREQUENT_PVC. */
    public static final int FREQUENT_PVC_PERCENT = 10;
    static final int BURDEN_MIN_BEATS = 300;
    private static final int BURDEN_MINUTES = 60;

    private final Duration pauseLimit;
    private final Duration pauseQuietPeriod;

    public RhythmMonitor(Duration pauseLimit, Duration pauseQuietPeriod) {
        this.pauseLimit = pauseLimit;
        this.pauseQuietPeriod = pauseQuietPeriod;
    }

    /** What the monitor keeps per patient between beats. */
    public static final class State {
        private final AfDetector[] detectors = new AfDetector[BeatSource.values().length];
        private Instant afOnset;
        private int afSources;
        private Instant pauseOnset;
        private Instant lastPause;
        private long worstPauseMs;
        /** Each source's latest beat: a beat not later than it is a replay or out of order, and ignored. */
        private final long[] lastBeatMillis = newLastBeats();
        private TachycardiaRun ventricular = new TachycardiaRun();
        // Bigeminy: beats alternating N and V up to now, and the episode open.
        private BeatClass previousClass;
        private int alternatingBeats;
        private Instant alternationStart;
        private Instant bigeminyOnset;
        private Instant lastBigeminy;
        // The last hour's beats and V beats, per minute (ring by epoch minute), and the episode open.
        private final int[] beatsPerMinute = new int[BURDEN_MINUTES];
        private final int[] ventricularPerMinute = new int[BURDEN_MINUTES];
        private long burdenMinute = Long.MIN_VALUE;
        private Instant frequentOnset;
        private double worstBurden;
        // The last P_WAVE_BEATS ECG beats, a bit each (1: a P wave before it), newest lowest; how many were seen.
        private int pWaveBits;
        private int pWaveBeats;
        /** The AF call of the ECG's RR intervals while it stands (shown or held back by P waves); else null. */
        private AfDetector.Transition ecgRrAf;
        /** The onset an AF episode of the ECG opened now would have: the RR call's, or null for the beat's time. */
        private Instant ecgAfOnset;

        private static long[] newLastBeats() {
            long[] last = new long[BeatSource.values().length];
            Arrays.fill(last, Long.MIN_VALUE);
            return last;
        }

        public void write(DataOutput out) throws IOException {
            for (AfDetector detector : detectors) {
                out.writeBoolean(detector != null);
                if (detector != null) {
                    detector.writeState(out);
                }
            }
            writeInstant(out, afOnset);
            out.writeInt(afSources);
            writeInstant(out, pauseOnset);
            writeInstant(out, lastPause);
            out.writeLong(worstPauseMs);
            // Added after the first release: a state written before ends here (see read).
            out.writeByte(lastBeatMillis.length);
            for (long last : lastBeatMillis) {
                out.writeLong(last);
            }
            // Added with beat classes: a state written before ends here (see read).
            ventricular.write(out);
            out.writeByte(previousClass == null ? -1 : previousClass.ordinal());
            out.writeInt(alternatingBeats);
            writeInstant(out, alternationStart);
            writeInstant(out, bigeminyOnset);
            writeInstant(out, lastBigeminy);
            for (int i = 0; i < BURDEN_MINUTES; i++) {
                out.writeInt(beatsPerMinute[i]);
                out.writeInt(ventricularPerMinute[i]);
            }
            out.writeLong(burdenMinute);
            writeInstant(out, frequentOnset);
            out.writeDouble(worstBurden);
            // Added with atrial activity: a state written before ends here (see read).
            out.writeInt(pWaveBits);
            out.writeInt(pWaveBeats);
            out.writeBoolean(ecgRrAf != null);
            if (ecgRrAf != null) {
                out.writeBoolean(ecgRrAf.atrialFibrillation());
                out.writeLong(ecgRrAf.at());
                out.writeLong(ecgRrAf.decidedAt());
                out.writeDouble(ecgRrAf.irregularity());
                out.writeDouble(ecgRrAf.rateBpm());
                out.writeLong(ecgRrAf.windowStart());
                out.writeInt(ecgRrAf.windowBeats());
            }
            writeInstant(out, ecgAfOnset);
        }

        public static State read(DataInput in) throws IOException {
            State state = new State();
            for (int i = 0; i < state.detectors.length; i++) {
                state.detectors[i] = in.readBoolean() ? AfDetector.readState(in) : null;
            }
            state.afOnset = readInstant(in);
            state.afSources = in.readInt();
            state.pauseOnset = readInstant(in);
            state.lastPause = readInstant(in);
            state.worstPauseMs = in.readLong();
            int sources;
            try {
                sources = in.readByte();
            } catch (EOFException writtenBeforeLastBeats) {
                return state;
            }
            for (int i = 0; i < sources; i++) {
                long last = in.readLong();
                if (i < state.lastBeatMillis.length) {
                    state.lastBeatMillis[i] = last;
                }
            }
            try {
                state.ventricular = TachycardiaRun.read(in);
            } catch (EOFException writtenBeforeBeatClasses) {
                return state;
            }
            int previous = in.readByte();
            state.previousClass = previous < 0 ? null : BeatClass.values()[previous];
            state.alternatingBeats = in.readInt();
            state.alternationStart = readInstant(in);
            state.bigeminyOnset = readInstant(in);
            state.lastBigeminy = readInstant(in);
            for (int i = 0; i < BURDEN_MINUTES; i++) {
                state.beatsPerMinute[i] = in.readInt();
                state.ventricularPerMinute[i] = in.readInt();
            }
            state.burdenMinute = in.readLong();
            state.frequentOnset = readInstant(in);
            state.worstBurden = in.readDouble();
            try {
                state.pWaveBits = in.readInt();
            } catch (EOFException writtenBeforeAtrialActivity) {
                return state;
            }
            state.pWaveBeats = in.readInt();
            if (in.readBoolean()) {
                state.ecgRrAf = new AfDetector.Transition(in.readBoolean(), in.readLong(), in.readLong(), in.readDouble(),
                        in.readDouble(), in.readLong(), in.readInt());
            }
            state.ecgAfOnset = readInstant(in);
            return state;
        }

        /** How many of the last {@value #P_WAVE_BEATS} ECG beats had a P wave; 0 before that many were seen. */
        int recentPWaves() {
            return pWaveBeats < P_WAVE_BEATS ? 0 : Integer.bitCount(pWaveBits);
        }

        private void countPWave(Boolean pWave) {
            pWaveBits = ((pWaveBits << 1) | (Boolean.TRUE.equals(pWave) ? 1 : 0)) & ((1 << P_WAVE_BEATS) - 1);
            pWaveBeats = Math.min(P_WAVE_BEATS, pWaveBeats + 1);
        }

        private static void writeInstant(DataOutput out, Instant instant) throws IOException {
            out.writeLong(instant == null ? Long.MIN_VALUE : instant.toEpochMilli());
        }

        private static Instant readInstant(DataInput in) throws IOException {
            long millis = in.readLong();
            return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
        }
    }

    /**
     * Takes one beat.
     *
     * @param rrMillis interval from the previous beat of the same source, null after a gap
     * @return the alert lifecycle changes this beat causes, in order; none for a beat not later
     *     than its source's last one (a replay cannot reopen a pause)
     */
    public List<Finding> onBeat(State state, BeatSource source, Instant at, Integer rrMillis) {
        return onBeat(state, source, at, rrMillis, null);
    }

    /**
     * Takes one beat with its class (from ECG), or null (from RR intervals: no ventricular
     * analysis).
     */
    public List<Finding> onBeat(State state, BeatSource source, Instant at, Integer rrMillis, BeatClass beatClass) {
        return onBeat(state, source, at, rrMillis, beatClass, FREQUENT_PVC_PERCENT);
    }

    /**
     * Takes one beat with its class, or null, and the patient's own limit of ventricular beats in an
     * hour (percent of its beats).
     */
    public List<Finding> onBeat(State state, BeatSource source, Instant at, Integer rrMillis, BeatClass beatClass,
            double frequentPvcPercent) {
        return onBeat(state, source, at, rrMillis, beatClass, null, frequentPvcPercent);
    }

    /**
     * Takes one beat with its class, or null, whether a P wave came before it (from ECG; null when
     * not known), and the patient's own limit of ventricular beats in an hour.
     */
    public List<Finding> onBeat(State state, BeatSource source, Instant at, Integer rrMillis, BeatClass beatClass,
            Boolean pWave, double frequentPvcPercent) {
        List<Finding> findings = new ArrayList<>();
        int slot = source.ordinal();
        if (at.toEpochMilli() <= state.lastBeatMillis[slot]) {
            return findings;
        }
        state.lastBeatMillis[slot] = at.toEpochMilli();
        resolveQuietPause(state, at, findings);
        if (source == BeatSource.ECG) {
            state.countPWave(pWave);
        }
        if (beatClass != null) {
            checkVentricularTachycardia(state.ventricular, at, rrMillis, beatClass == BeatClass.V, findings);
            checkBigeminy(state, at, beatClass, findings);
            checkFrequentPvcs(state, at, beatClass, frequentPvcPercent, findings);
        }
        if (rrMillis == null || rrMillis <= 0) {
            return findings;
        }
        checkPause(state, at, rrMillis, findings);
        if (state.detectors[slot] == null) {
            state.detectors[slot] = AfDetector.withDefaults();
        }
        AfDetector.Transition transition = state.detectors[slot].accept(at.toEpochMilli(), rrMillis);
        if (source != BeatSource.ECG) {
            if (transition != null) {
                checkAf(state, slot, transition, findings);
            }
            return findings;
        }
        // From ECG the RR intervals' call stands only while the atria show no order: AF is shown while
        // fewer than half of the last beats have P waves, and no longer once three quarters have them.
        if (transition != null) {
            state.ecgRrAf = transition.atrialFibrillation() ? transition : null;
            state.ecgAfOnset = transition.atrialFibrillation() ? Instant.ofEpochMilli(transition.at()) : null;
            if (!transition.atrialFibrillation()) {
                checkAf(state, slot, transition, findings);
                return findings;
            }
        }
        boolean shown = (state.afSources & (1 << slot)) != 0;
        if (state.ecgRrAf != null && !shown && state.recentPWaves() < P_WAVES_FOR_ORDER) {
            AfDetector.Transition call = state.ecgRrAf;
            Instant onset = state.ecgAfOnset != null ? state.ecgAfOnset : at;
            checkAf(state, slot, new AfDetector.Transition(true, onset.toEpochMilli(), at.toEpochMilli(),
                    call.irregularity(), call.rateBpm(), call.windowStart(), call.windowBeats()), findings);
        } else if (state.ecgRrAf != null && shown && state.recentPWaves() >= P_WAVES_BACK) {
            AfDetector.Transition call = state.ecgRrAf;
            state.ecgAfOnset = null;
            checkAf(state, slot, new AfDetector.Transition(false, at.toEpochMilli(), at.toEpochMilli(),
                    call.irregularity(), call.rateBpm(), call.windowStart(), call.windowBeats()), findings);
        }
        return findings;
    }

    private void checkAf(State state, int slot, AfDetector.Transition transition, List<Finding> findings) {
        int bit = 1 << slot;
        Instant when = Instant.ofEpochMilli(transition.decidedAt());
        String measures = String.format(java.util.Locale.ROOT, "irregularity %.3f, rate %.0f bpm",
                transition.irregularity(), transition.rateBpm());
        if (transition.atrialFibrillation()) {
            boolean alreadyOpen = state.afSources != 0;
            state.afSources |= bit;
            if (!alreadyOpen) {
                state.afOnset = Instant.ofEpochMilli(transition.at());
                findings.add(af(AlertState.OPEN, state.afOnset, when, "atrial fibrillation: " + measures, transition));
            }
        } else if ((state.afSources & bit) != 0) {
            state.afSources &= ~bit;
            if (state.afSources == 0 && state.afOnset != null) {
                findings.add(af(AlertState.RESOLVED, state.afOnset, when, "regular rhythm again: " + measures, transition));
                state.afOnset = null;
            }
        }
    }

    private static Finding af(AlertState lifecycle, Instant onset, Instant at, String summary, AfDetector.Transition t) {
        BeatEvidence beats = new BeatEvidence(Instant.ofEpochMilli(t.windowStart()), Instant.ofEpochMilli(t.decidedAt()),
                t.windowBeats(), t.rateBpm(), t.irregularity());
        return new Finding(AlertKind.ATRIAL_FIBRILLATION, AlertSeverity.WARNING, lifecycle, onset, at, summary,
                "rrIrregularity", null, t.irregularity(), t.rateBpm(), beats);
    }

    private static void checkVentricularTachycardia(TachycardiaRun run, Instant at, Integer rrMillis,
            boolean ventricular, List<Finding> findings) {
        if (run.resolveIfQuiet(at) != null) {
            findings.add(vt(AlertState.RESOLVED, run, at, "no ventricular run for " + TachycardiaRun.QUIET.toSeconds()
                    + " s; the longest had " + run.longest + " beats"));
            run.endEpisode();
        }
        AlertState change = run.accept(at, rrMillis, ventricular);
        if (change == AlertState.OPEN) {
            findings.add(vt(change, run, at, "ventricular tachycardia: a run of " + run.beats + " ventricular beats at "
                    + Math.round(run.rateBpm()) + " bpm"));
        } else if (change == AlertState.UPDATED) {
            findings.add(vt(change, run, at, "sustained ventricular tachycardia: " + TachycardiaRun.SUSTAINED.toSeconds()
                    + " s at " + Math.round(run.rateBpm()) + " bpm"));
        }
    }

    private static Finding vt(AlertState lifecycle, TachycardiaRun run, Instant at, String summary) {
        BeatEvidence beats = lifecycle == AlertState.RESOLVED ? null
                : new BeatEvidence(run.start, at, run.beats, run.rateBpm(), null);
        return new Finding(AlertKind.VENTRICULAR_TACHYCARDIA, run.sustained ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
                lifecycle, run.onset, at, summary, "ventricularRunBeats", (double) TachycardiaRun.RUN_BEATS,
                lifecycle == AlertState.RESOLVED ? null : (double) run.beats, (double) run.longest, beats);
    }

    private static void checkBigeminy(State state, Instant at, BeatClass beatClass, List<Finding> findings) {
        if (state.bigeminyOnset != null && Duration.between(state.lastBigeminy, at).compareTo(BIGEMINY_QUIET) >= 0) {
            findings.add(new Finding(AlertKind.BIGEMINY, AlertSeverity.INFO, AlertState.RESOLVED, state.bigeminyOnset, at,
                    "no bigeminy for " + BIGEMINY_QUIET.toSeconds() + " s", "alternatingBeats",
                    (double) BIGEMINY_BEATS, null, null));
            state.bigeminyOnset = null;
            state.lastBigeminy = null;
        }
        boolean alternates = (beatClass == BeatClass.V && state.previousClass == BeatClass.N)
                || (beatClass == BeatClass.N && state.previousClass == BeatClass.V);
        if (alternates) {
            state.alternatingBeats++;
        } else {
            state.alternatingBeats = 1;
            state.alternationStart = at;
        }
        state.previousClass = beatClass;
        if (state.alternatingBeats < BIGEMINY_BEATS) {
            return;
        }
        state.lastBigeminy = at;
        if (state.bigeminyOnset == null) {
            state.bigeminyOnset = state.alternationStart;
            findings.add(new Finding(AlertKind.BIGEMINY, AlertSeverity.INFO, AlertState.OPEN, state.bigeminyOnset, at,
                    "ventricular bigeminy: every other beat ventricular for " + state.alternatingBeats + " beats",
                    "alternatingBeats", (double) BIGEMINY_BEATS, (double) state.alternatingBeats, null,
                    new BeatEvidence(state.alternationStart, at, state.alternatingBeats,
                            60_000.0 * (state.alternatingBeats - 1)
                                    / Math.max(1, Duration.between(state.alternationStart, at).toMillis()), null)));
        }
    }

    private static void checkFrequentPvcs(State state, Instant at, BeatClass beatClass, double limit,
            List<Finding> findings) {
        // Beats with a class come from ECG, in time order (onBeat drops any other): minutes only move on.
        long minute = at.getEpochSecond() / 60;
        if (state.burdenMinute == Long.MIN_VALUE || minute - state.burdenMinute >= BURDEN_MINUTES) {
            java.util.Arrays.fill(state.beatsPerMinute, 0);
            java.util.Arrays.fill(state.ventricularPerMinute, 0);
        } else {
            for (long m = state.burdenMinute + 1; m <= minute; m++) {
                state.beatsPerMinute[(int) (m % BURDEN_MINUTES)] = 0;
                state.ventricularPerMinute[(int) (m % BURDEN_MINUTES)] = 0;
            }
        }
        state.burdenMinute = minute;
        int slot = (int) (minute % BURDEN_MINUTES);
        state.beatsPerMinute[slot]++;
        if (beatClass == BeatClass.V) {
            state.ventricularPerMinute[slot]++;
        }
        int beats = java.util.Arrays.stream(state.beatsPerMinute).sum();
        if (beats < BURDEN_MIN_BEATS) {
            return;
        }
        double burden = 100.0 * java.util.Arrays.stream(state.ventricularPerMinute).sum() / beats;
        String summary = String.format(java.util.Locale.ROOT, "%.1f %% of the last hour's %d beats ventricular",
                burden, beats);
        if (state.frequentOnset == null && burden >= limit) {
            state.frequentOnset = at;
            state.worstBurden = burden;
            findings.add(frequentPvcs(AlertState.OPEN, state, at, "frequent premature ventricular beats: " + summary,
                    burden, limit));
        } else if (state.frequentOnset != null && burden >= state.worstBurden + 5) {
            state.worstBurden = burden;
            findings.add(frequentPvcs(AlertState.UPDATED, state, at, "more premature ventricular beats: " + summary,
                    burden, limit));
        } else if (state.frequentOnset != null && burden < limit / 2.0) {
            findings.add(frequentPvcs(AlertState.RESOLVED, state, at, "fewer premature ventricular beats: " + summary,
                    burden, limit));
            state.frequentOnset = null;
            state.worstBurden = 0;
        }
    }

    private static Finding frequentPvcs(AlertState lifecycle, State state, Instant at, String summary, double burden,
            double limit) {
        return new Finding(AlertKind.FREQUENT_PVC, AlertSeverity.INFO, lifecycle, state.frequentOnset, at, summary,
                "pvcBurdenPercent", limit, burden, state.worstBurden);
    }

    private void checkPause(State state, Instant at, int rrMillis, List<Finding> findings) {
        if (rrMillis <= pauseLimit.toMillis()) {
            return;
        }
        Instant pauseStart = at.minusMillis(rrMillis);
        String summary = "pause of " + String.format(java.util.Locale.ROOT, "%.1f", rrMillis / 1000.0) + " s";
        if (state.pauseOnset == null) {
            state.pauseOnset = pauseStart;
            state.worstPauseMs = rrMillis;
            findings.add(pause(AlertState.OPEN, state, at, summary, rrMillis));
        } else if (rrMillis > state.worstPauseMs) {
            state.worstPauseMs = rrMillis;
            findings.add(pause(AlertState.UPDATED, state, at, "longer " + summary, rrMillis));
        }
        state.lastPause = at;
    }

    private void resolveQuietPause(State state, Instant at, List<Finding> findings) {
        if (state.pauseOnset != null && state.lastPause != null
                && Duration.between(state.lastPause, at).compareTo(pauseQuietPeriod) >= 0) {
            findings.add(pause(AlertState.RESOLVED, state, at, "no pause for " + pauseQuietPeriod.toMinutes() + " min",
                    0));
            state.pauseOnset = null;
            state.lastPause = null;
            state.worstPauseMs = 0;
        }
    }

    private Finding pause(AlertState lifecycle, State state, Instant at, String summary, int rrMillis) {
        // The pause lies between two beats: the one before it and the one that ended it.
        BeatEvidence beats = rrMillis == 0 ? null
                : new BeatEvidence(at.minusMillis(rrMillis), at, 2, 60_000.0 / rrMillis, null);
        return new Finding(AlertKind.PAUSE, AlertSeverity.CRITICAL, lifecycle, state.pauseOnset, at, summary, "rrMillis",
                (double) pauseLimit.toMillis(), rrMillis == 0 ? null : (double) rrMillis, (double) state.worstPauseMs,
                beats);
    }
}
