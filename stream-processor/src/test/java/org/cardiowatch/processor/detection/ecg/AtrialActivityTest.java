package org.cardiowatch.processor.detection.ecg;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The P waves the classifier reports with each beat, on synthetic ECG with and without them. */
class AtrialActivityTest {

    @Test
    void shouldSeeAPWaveBeforeNearlyEverySinusBeatAndHardlyAnyInAtrialFibrillation() {
        double[] sinus = SyntheticEcg.regular(72, 120);
        double[] fibrillation = new double[120];
        Random random = new Random(3);
        for (int i = 0; i < fibrillation.length; i++) {
            fibrillation[i] = 0.65 + 0.4 * random.nextDouble();
        }
        char[] noP = new char[fibrillation.length];
        Arrays.fill(noP, 'f');

        assertThat("sinus rhythm", shareWithPWave(new SyntheticEcg(250, sinus, 100, 15, 1)), greaterThan(0.9));
        assertThat("no atrial activity but noise", shareWithPWave(new SyntheticEcg(250, fibrillation, noP, 100, 15, 1)),
                lessThan(0.2));
    }

    @Test
    void shouldNotJudgeAPWaveThatWouldLieInThePreviousBeatsTWave() {
        // 120 bpm: the stretch before each R peak holds the T wave of the beat before.
        assertThat(shareWithPWave(new SyntheticEcg(250, SyntheticEcg.regular(120, 120), 100, 15, 1)), lessThan(0.05));
    }

    private static double shareWithPWave(SyntheticEcg ecg) {
        QrsDetector detector = new QrsDetector(ecg.sampleRateHz);
        BeatClassifier classifier = new BeatClassifier(ecg.sampleRateHz);
        List<BeatClassifier.ClassifiedBeat> beats = new ArrayList<>();
        for (double sample : ecg.samples) {
            classifier.accept(sample, beats::add);
            detector.accept(sample, r -> classifier.beat(r, beats::add));
        }
        return beats.stream().filter(b -> Boolean.TRUE.equals(b.pWave())).count() / (double) beats.size();
    }
}
