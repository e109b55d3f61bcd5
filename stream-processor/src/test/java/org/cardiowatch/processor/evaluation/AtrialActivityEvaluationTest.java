package org.cardiowatch.processor.evaluation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cardiowatch.processor.detection.ecg.SyntheticEcg;
import org.junit.jupiter.api.Test;

class AtrialActivityEvaluationTest {

    @Test
    void shouldSeeAPWaveBeforeNearlyEverySinusBeatAndHardlyAnyInAtrialFibrillation() {
        double[] sinus = SyntheticEcg.regular(72, 120);
        double[] fibrillation = new double[120];
        Random random = new Random(3);
        for (int i = 0; i < fibrillation.length; i++) {
            fibrillation[i] = 0.5 + 0.5 * random.nextDouble();
        }
        char[] noP = new char[fibrillation.length];
        Arrays.fill(noP, 'f');

        double withP = seen(new SyntheticEcg(250, sinus, 100, 15, 1));
        double withoutP = seen(new SyntheticEcg(250, fibrillation, noP, 100, 15, 1));

        assertThat("sinus rhythm", withP, greaterThan(0.9));
        assertThat("no atrial activity but noise", withoutP, lessThan(0.2));
    }

    private static double seen(SyntheticEcg ecg) {
        int[] signal = Arrays.stream(ecg.samples).mapToInt(v -> (int) Math.round(v)).toArray();
        List<Long> beats = QrsEvaluation.detect(signal, ecg.sampleRateHz);
        boolean[] present = AtrialActivityEvaluation.pWaves(signal, ecg.sampleRateHz, beats);
        int count = 0;
        for (boolean p : present) {
            count += p ? 1 : 0;
        }
        return (double) count / present.length;
    }
}
