package org.cardiowatch.processor.detection.ecg;

/**
 * A second-order IIR section (direct form II transposed), designed with the bilinear transform
 * so the same corner frequencies hold at any sample rate.
 */
final class Biquad {

    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double z1;
    private double z2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
        this.b0 = b0 / a0;
        this.b1 = b1 / a0;
        this.b2 = b2 / a0;
        this.a1 = a1 / a0;
        this.a2 = a2 / a0;
    }

    /** Butterworth low-pass (Q = 1/sqrt 2). */
    static Biquad lowPass(double cornerHz, double sampleRateHz) {
        double w = 2 * Math.PI * cornerHz / sampleRateHz;
        double alpha = Math.sin(w) / Math.sqrt(2);
        double cos = Math.cos(w);
        return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /** Butterworth high-pass (Q = 1/sqrt 2). */
    static Biquad highPass(double cornerHz, double sampleRateHz) {
        double w = 2 * Math.PI * cornerHz / sampleRateHz;
        double alpha = Math.sin(w) / Math.sqrt(2);
        double cos = Math.cos(w);
        return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    double apply(double x) {
        double y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        return y;
    }

    void write(java.io.DataOutput out) throws java.io.IOException {
        out.writeDouble(z1);
        out.writeDouble(z2);
    }

    void read(java.io.DataInput in) throws java.io.IOException {
        z1 = in.readDouble();
        z2 = in.readDouble();
    }

    void reset() {
        z1 = 0;
        z2 = 0;
    }
}
