package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;

/** Running statistics of one patient's readings over one minute; mutable, one per window. */
public final class MinuteAccumulator {

    int readings;
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
    }

    public static MinuteAccumulator read(DataInput in) throws IOException {
        MinuteAccumulator accumulator = new MinuteAccumulator();
        accumulator.readings = in.readInt();
        for (Stat stat : new Stat[] {accumulator.heartRate, accumulator.spo2, accumulator.systolic, accumulator.diastolic}) {
            stat.read(in);
        }
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
                .build();
    }
}
