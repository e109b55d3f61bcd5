package org.cardiowatch.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.BeatSource;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.EcgSegment;
import org.cardiowatch.schemas.avro.MonitoringEnd;
import org.cardiowatch.schemas.avro.MonitoringEndReason;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.simulator.patient.Episode;
import org.cardiowatch.simulator.patient.VirtualPatient;

/**
 * Seven days of simulated history for the demo's patients, written once, at the local stack's first
 * start, so that the patient page's 7-day trends and the daily review are full at first look: each
 * patient's minutes (a day and night rhythm around their resting values), a few resolved alerts of
 * the kind they show, which their minutes show too, and one atrial fibrillation episode of a patient
 * who wears an ECG patch, with its strip. All of it is marked: every alert's summary and resolution
 * begin with {@value #MARK}, and the ECG is imported history (a {@code HISTORY_IMPORTED} end of
 * the patch's monitoring up to the strip's end), which the stream processor never analyses, so no
 * alarm is raised or paged about the past. Deterministic for a start time.
 */
final class DemoHistory {

    static final Duration SPAN = Duration.ofDays(7);
    static final String MARK = "Simulated history: ";
    /** The AF episode with a strip: this long before the start, inside the 7 days cw.ecg keeps. */
    static final Duration STRIP_AGO = Duration.ofHours(26);
    static final Duration STRIP_LENGTH = Duration.ofMinutes(4);
    /** Within the strip, atrial fibrillation from this far in, for this long. */
    static final Duration AF_FROM = Duration.ofSeconds(60);
    static final Duration AF_FOR = Duration.ofSeconds(150);
    private static final int EPISODES = 4;

    /** What is written, per topic; minutes per patient. */
    record Plan(Map<String, List<VitalsMinute>> minutes, List<Alert> alerts, List<MonitoringEnd> importEnds,
            List<EcgSegment> ecg, List<Beat> beats) {
    }

    /** One past episode of a patient: the alert's kind and when. */
    private record PastEpisode(AlertKind kind, Instant from, Instant to) {
        boolean covers(Instant minute) {
            return !minute.isBefore(from.truncatedTo(ChronoUnit.MINUTES)) && minute.isBefore(to);
        }
    }

    private DemoHistory() {
    }

    /** The history of the 7 days before {@code now} (to its last whole minute but one). */
    static Plan plan(List<DemoCohort.DemoPatient> cohort, Instant now, ZoneId zone) {
        Instant end = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        Instant start = end.minus(SPAN);
        Map<String, List<VitalsMinute>> minutes = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        List<MonitoringEnd> importEnds = new ArrayList<>();
        List<EcgSegment> ecg = new ArrayList<>();
        List<Beat> beats = new ArrayList<>();
        DemoCohort.DemoPatient withStrip = cohort.stream().filter(DemoCohort.DemoPatient::ecg).findFirst().orElse(null);
        long seed = 11;
        for (DemoCohort.DemoPatient patient : cohort) {
            Random random = new Random(seed++);
            List<PastEpisode> episodes = episodes(patient, start, end, random);
            for (PastEpisode episode : episodes) {
                alerts.add(alert(patient, episode, random));
            }
            if (patient == withStrip) {
                // Its minutes show the AF too; its alert comes with the strip.
                Instant stripStart = end.minus(STRIP_AGO).truncatedTo(ChronoUnit.MINUTES);
                episodes.add(new PastEpisode(AlertKind.ATRIAL_FIBRILLATION, stripStart.plus(AF_FROM),
                        stripStart.plus(AF_FROM).plus(AF_FOR)));
                strip(patient, stripStart, random.nextLong(), importEnds, ecg, beats, alerts);
            }
            minutes.put(patient.patientId(), minutes(patient, start, end, episodes, zone, random));
        }
        return new Plan(minutes, alerts, importEnds, ecg, beats);
    }

    /** Writes the plan, the ends of the imported ECG first: the processor must know it before it reads the ECG. */
    static void write(TopicWriter writer, Plan plan) {
        for (MonitoringEnd end : plan.importEnds()) {
            // Timed before the ECG it covers, so the processor, which takes records in time order, reads it first.
            writer.writeAll(Topics.MONITORING_ENDS, end.getPatientId(), List.of(end),
                    e -> plan.ecg().get(0).getStartedAt().minus(Duration.ofMinutes(1)));
        }
        plan.minutes().forEach((patient, values) ->
                writer.writeAll(Topics.VITALS_1M, patient, values, VitalsMinute::getMinuteStart));
        if (!plan.ecg().isEmpty()) {
            String patient = plan.ecg().get(0).getPatientId();
            writer.writeAll(Topics.ECG, patient, plan.ecg(), EcgSegment::getStartedAt);
            writer.writeAll(Topics.BEATS, patient, plan.beats(), Beat::getRPeakAt);
        }
        // One round trip per patient (their key), not per alert.
        plan.alerts().stream().collect(java.util.stream.Collectors.groupingBy(Alert::getPatientId))
                .forEach((patient, alerts) -> writer.writeAll(Topics.ALERTS, patient, alerts, Alert::getUpdatedAt));
    }

    /** A few episodes of the kind the patient shows, spread over the days, the last within the past day. */
    private static List<PastEpisode> episodes(DemoCohort.DemoPatient patient, Instant start, Instant end, Random random) {
        AlertKind kind = kindOf(patient.episodes().get(0).kind());
        List<PastEpisode> episodes = new ArrayList<>();
        if (kind == null) {
            return episodes;
        }
        Duration slot = Duration.between(start, end).minus(Duration.ofDays(1)).dividedBy(EPISODES - 1);
        for (int i = 0; i < EPISODES; i++) {
            // The last within the past day, which the daily review shows.
            Instant from = i == EPISODES - 1 ? end.minus(Duration.ofMinutes(120 + random.nextInt(18 * 60)))
                    : start.plus(slot.multipliedBy(i))
                            .plus(Duration.ofMinutes(60 + random.nextInt((int) slot.toMinutes() - 240)));
            Duration length = Duration.ofMinutes(kind == AlertKind.ATRIAL_FIBRILLATION ? 40 + random.nextInt(140)
                    : 4 + random.nextInt(25)).plusSeconds(random.nextInt(60));
            episodes.add(new PastEpisode(kind, from, from.plus(length)));
        }
        return episodes;
    }

    private static AlertKind kindOf(Episode.Kind simulated) {
        return switch (simulated) {
            case TACHYCARDIA -> AlertKind.TACHYCARDIA;
            case BRADYCARDIA -> AlertKind.BRADYCARDIA;
            case DESATURATION -> AlertKind.LOW_SPO2;
            case HYPERTENSION -> AlertKind.HIGH_SYSTOLIC;
            case ATRIAL_FIBRILLATION -> AlertKind.ATRIAL_FIBRILLATION;
            case SILENCE -> AlertKind.SIGNAL_LOSS;
            default -> null;
        };
    }

    /** Each minute of the span: a day and night rhythm around the resting values; an episode's minutes show it. */
    private static List<VitalsMinute> minutes(DemoCohort.DemoPatient patient, Instant start, Instant end,
            List<PastEpisode> episodes, ZoneId zone, Random random) {
        double restingSystolic = 118 + random.nextInt(15);
        List<VitalsMinute> minutes = new ArrayList<>();
        for (Instant minute = start; minute.isBefore(end); minute = minute.plus(Duration.ofMinutes(1))) {
            Instant at = minute;
            AlertKind during = episodes.stream().filter(e -> e.covers(at)).map(PastEpisode::kind).findFirst().orElse(null);
            if (during == AlertKind.SIGNAL_LOSS) {
                continue;
            }
            // Lowest around 4 a.m., highest in the afternoon.
            double hour = minute.atZone(zone).getHour() + minute.atZone(zone).getMinute() / 60.0;
            double daily = Math.sin(2 * Math.PI * (hour - 10) / 24);
            double rate = patient.restingRate() + 7 * daily + random.nextGaussian() * 2;
            double spread = 6 + random.nextDouble() * 4;
            double spo2 = 97 + random.nextGaussian() * 0.4;
            double systolic = restingSystolic + 8 * daily + random.nextGaussian() * 3;
            if (during == AlertKind.TACHYCARDIA) {
                rate = 148 + random.nextGaussian() * 2;
            } else if (during == AlertKind.BRADYCARDIA) {
                rate = 37 + random.nextGaussian();
            } else if (during == AlertKind.ATRIAL_FIBRILLATION) {
                rate = 98 + random.nextGaussian() * 6;
                spread = 30;
            } else if (during == AlertKind.LOW_SPO2) {
                spo2 = 85 + random.nextGaussian() * 0.5;
            } else if (during == AlertKind.HIGH_SYSTOLIC) {
                systolic = 194 + random.nextGaussian() * 3;
            }
            VitalsMinute.Builder values = VitalsMinute.newBuilder().setPatientId(patient.patientId()).setMinuteStart(minute)
                    .setReadings(60).setHeartRateMin(round(rate - spread)).setHeartRateMean(round(rate))
                    .setHeartRateMax(round(rate + spread * 1.3)).setSpo2Min(round(Math.min(100, spo2 - 1.1)))
                    .setSpo2Mean(round(Math.min(100, spo2))).setSystolicMax(round(systolic + 5))
                    .setSystolicMean(round(systolic)).setDiastolicMean(round(systolic * 0.63));
            if (patient.ecg()) {
                int beats = (int) Math.round(rate);
                values.setClassifiedBeats(beats).setVentricularBeats(random.nextInt(100) < 30 ? 1 + random.nextInt(2) : 0)
                        .setSupraventricularBeats(random.nextInt(100) < 20 ? 1 : 0);
            }
            minutes.add(values.build());
        }
        return minutes;
    }

    /**
     * The ECG around one AF episode of an ECG patient, as imported history: sinus rhythm, then AF,
     * then sinus again; its beats (the simulator's own, as no detector saw them) and its alert.
     */
    private static void strip(DemoCohort.DemoPatient patient, Instant stripStart, long seed, List<MonitoringEnd> importEnds,
            List<EcgSegment> ecg, List<Beat> beats, List<Alert> alerts) {
        VirtualPatient heart = new VirtualPatient(patient.patientId(), patient.restingRate(),
                List.of(new Episode(Episode.Kind.ATRIAL_FIBRILLATION, AF_FROM, AF_FOR)), STRIP_LENGTH.plusHours(1),
                true, seed, stripStart);
        Instant previous = null;
        List<Instant> afBeats = new ArrayList<>();
        for (long second = 1; second <= STRIP_LENGTH.toSeconds(); second++) {
            Instant to = stripStart.plusSeconds(second);
            Instant from = to.minusSeconds(1);
            heart.readingAt(to);
            DeviceEcg segment = heart.ecgSegment(from, Duration.ofSeconds(1));
            ecg.add(EcgSegment.newBuilder().setPatientId(patient.patientId()).setDeviceId(patient.deviceId())
                    .setSequence(second).setStartedAt(from).setReceivedAt(to).setSampleRateHz(segment.getSampleRateHz())
                    .setLead(segment.getLead()).setSamplesMicroVolts(segment.getSamplesMicroVolts()).build());
            for (VirtualPatient.SimulatedBeat beat : heart.beatsBetween(from, to)) {
                beats.add(Beat.newBuilder().setPatientId(patient.patientId()).setDeviceId(patient.deviceId())
                        .setSource(BeatSource.ECG).setRPeakAt(beat.at())
                        .setRrMillis(previous == null ? null : (int) Duration.between(previous, beat.at()).toMillis())
                        .setBeatClass(beat.ventricular() ? BeatClass.V : BeatClass.N).setPWave(beat.pWave()).build());
                if (!beat.pWave() && !beat.ventricular()) {
                    afBeats.add(beat.at());
                }
                previous = beat.at();
            }
        }
        Instant importedUpTo = stripStart.plus(STRIP_LENGTH);
        importEnds.add(MonitoringEnd.newBuilder().setPatientId(patient.patientId()).setDeviceId(patient.deviceId())
                .setReason(MonitoringEndReason.HISTORY_IMPORTED).setEndedAt(importedUpTo).setRecordedBy("local-stack")
                .build());
        Instant first = afBeats.get(0);
        Instant last = afBeats.get(afBeats.size() - 1);
        double rate = 60_000.0 * (afBeats.size() - 1) / Duration.between(first, last).toMillis();
        AlertEvidence evidence = evidence(patient, AlertKind.ATRIAL_FIBRILLATION, null, null)
                .setBeatsFrom(first).setBeatsTo(last).setBeatCount(afBeats.size()).setRateBpm(round(rate)).build();
        alerts.add(resolved(patient, AlertKind.ATRIAL_FIBRILLATION, first, last, evidence));
    }

    private static Alert alert(DemoCohort.DemoPatient patient, PastEpisode episode, Random random) {
        Double worst = switch (episode.kind()) {
            case TACHYCARDIA -> 150.0 + random.nextInt(8);
            case BRADYCARDIA -> 35.0 - random.nextInt(3);
            case LOW_SPO2 -> 84.0 - random.nextInt(3);
            case HIGH_SYSTOLIC -> 196.0 + random.nextInt(10);
            default -> null;
        };
        Instant worstAt = worst == null ? null
                : episode.from().plusSeconds(random.nextInt((int) Duration.between(episode.from(), episode.to()).toSeconds()));
        return resolved(patient, episode.kind(), episode.from(), episode.to(),
                evidence(patient, episode.kind(), worst, worstAt).build());
    }

    private static AlertEvidence.Builder evidence(DemoCohort.DemoPatient patient, AlertKind kind, Double worst,
            Instant worstAt) {
        String measure = switch (kind) {
            case TACHYCARDIA, BRADYCARDIA -> "heartRateBpm";
            case LOW_SPO2 -> "spo2Percent";
            case HIGH_SYSTOLIC -> "systolicMmHg";
            default -> null;
        };
        return AlertEvidence.newBuilder().setSummary(MARK + summary(kind)).setMeasure(measure).setWorstValue(worst)
                .setWorstAt(worstAt).setDeviceId(patient.deviceId()).setSources(List.of(patient.deviceId()))
                .setResolution(MARK + (kind == AlertKind.SIGNAL_LOSS ? "the device sent again" : "back to normal"));
    }

    private static String summary(AlertKind kind) {
        return switch (kind) {
            case TACHYCARDIA -> "heart rate above 130 bpm";
            case BRADYCARDIA -> "heart rate below 40 bpm";
            case LOW_SPO2 -> "SpO2 below 90 %";
            case HIGH_SYSTOLIC -> "systolic pressure above 180 mmHg";
            case ATRIAL_FIBRILLATION -> "irregular RR intervals without P waves";
            case SIGNAL_LOSS -> "no reading from the device";
            default -> kind.name();
        };
    }

    private static Alert resolved(DemoCohort.DemoPatient patient, AlertKind kind, Instant from, Instant to,
            AlertEvidence evidence) {
        String id = "demo-history|" + patient.patientId() + "|" + kind + "|" + from.toEpochMilli();
        return Alert.newBuilder().setAlertId(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString())
                .setPatientId(patient.patientId()).setKind(kind).setSeverity(severity(kind)).setState(AlertState.RESOLVED)
                .setOpenedAt(from).setUpdatedAt(to).setResolvedAt(to).setEvidence(evidence).build();
    }

    private static AlertSeverity severity(AlertKind kind) {
        return switch (kind) {
            case TACHYCARDIA, BRADYCARDIA, LOW_SPO2 -> AlertSeverity.CRITICAL;
            default -> AlertSeverity.WARNING;
        };
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
