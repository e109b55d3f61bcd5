package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import org.cardiowatch.schemas.avro.Beat;
import org.cardiowatch.schemas.avro.BeatClass;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;

/**
 * Running statistics of one patient's readings over one minute, and the count of their ECG beats
 * by class (what the daily review's ventricular and supraventricular burden is made of); mutable,
 * one per window.
 */
public final class MinuteAccumulator {

    int readings;
    int classifiedBeats;
    int ventricularBeats;
    int supraventricularBeats;
    final Stat heartRate = new Stat();
    final Stat spo2 = new Stat();
    final Stat systolic = new Stat();
    final Stat diastolic = new Stat();

    /** Count, sum, minimum and maximum of one measure. */
    static final class Stat {
        int count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(Float value) {
            if (value == null) {
                return;
            }
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }

        Double min() {
            return count == 0 ? null : min;
        }

        Double max() {
            return count == 0 ? null : max;
        }

        Double mean() {
            return count == 0 ? null : sum / count;
        }

        void write(DataOutput out) throws IOException {
            out.writeInt(count);
            out.writeDouble(sum);
            out.writeDouble(min);
            out.writeDouble(max);
        }

        void read(DataInput in) throws IOException {
            count = in.readInt();
            sum = in.readDouble();
            min = in.readDouble();
            max = in.readDouble();
        }
    }

    /** Writes the accumulator for a window store (Kafka Streams keeps it between readings). */
    public void write(DataOutput out) throws IOException {
        out.writeInt(readings);
        for (Stat stat : new Stat[] {heartRate, spo2, systolic, diastolic}) {
            stat.write(out);
        }
        out.writeInt(classifiedBeats);
        out.writeInt(ventricularBeats);
        out.writeInt(supraventricularBeats);
    }

    public static MinuteAccumulator read(DataInput in) throws IOException {
        MinuteAccumulator accumulator = new MinuteAccumulator();
        accumulator.readings = in.readInt();
        for (Stat stat : new Stat[] {accumulator.heartRate, accumulator.spo2, accumulator.systolic, accumulator.diastolic}) {
            stat.read(in);
        }
        try {
            accumulator.classifiedBeats = in.readInt();
        } catch (EOFException writtenBeforeBeatClasses) {
            // A minute opened before beats were counted ends with the vitals: its beats count from now.
            return accumulator;
        }
        accumulator.ventricularBeats = in.readInt();
        accumulator.supraventricularBeats = in.readInt();
        return accumulator;
    }

    public MinuteAccumulator add(VitalSigns reading) {
        readings++;
        heartRate.add(reading.getHeartRateBpm());
        spo2.add(reading.getSpo2Percent());
        systolic.add(reading.getSystolicMmHg());
        diastolic.add(reading.getDiastolicMmHg());
        return this;
    }

    /** Counts a beat by its class; a beat without one (from a wearable's RR intervals) is not counted. */
    public MinuteAccumulator add(Beat beat) {
        BeatClass beatClass = beat.getBeatClass();
        if (beatClass == null || beatClass == BeatClass.UNKNOWN) {
            return this;
        }
        classifiedBeats++;
        if (beatClass == BeatClass.V) {
            ventricularBeats++;
        } else if (beatClass == BeatClass.S) {
            supraventricularBeats++;
        }
        return this;
    }

    public VitalsMinute toMinute(String patientId, Instant minuteStart) {
        return VitalsMinute.newBuilder()
                .setPatientId(patientId)
                .setMinuteStart(minuteStart)
                .setReadings(readings)
                .setHeartRateMin(heartRate.min())
                .setHeartRateMean(heartRate.mean())
                .setHeartRateMax(heartRate.max())
                .setSpo2Min(spo2.min())
                .setSpo2Mean(spo2.mean())
                .setSystolicMax(systolic.max())
                .setSystolicMean(systolic.mean())
                .setDiastolicMean(diastolic.mean())
                .setClassifiedBeats(classifiedBeats == 0 ? null : classifiedBeats)
                .setVentricularBeats(classifiedBeats == 0 ? null : ventricularBeats)
                .setSupraventricularBeats(classifiedBeats == 0 ? null : supraventricularBeats)
                .build();
    }
}
