package org.cardiowatch.processor.detection.ecg;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cardiowatch.processor.detection.ecg.BeatClassifier.BeatClass;
import org.cardiowatch.processor.detection.ecg.BeatClassifier.ClassifiedBeat;
import org.junit.jupiter.api.Test;

class BeatClassifierTest {

    private static final double FS = 250;
    private static final double RR = 0.8;

    @Test
    void shouldCallPrematureWideBeatsVentricularAndPrematureNormalOnesSupraventricular() {
        // Sinus rhythm at 75 bpm; every 7th beat a ventricular premature beat (coupled at 60 %,
        // compensatory pause), every 11th an atrial premature beat (coupled at 65 %, no full pause).
        int count = 300;
        double[] rr = new double[count];
        char[] kinds = new char[count];
        for (int i = 0; i < count; i++) {
            rr[i] = RR;
            kinds[i] = 'N';
        }
        for (int i = 20; i < count - 1; i++) {
            if (i % 7 == 0) {
                kinds[i] = 'V';
                rr[i] = 0.6 * RR;
                rr[i + 1] = 1.4 * RR;
            } else if (i % 11 == 0 && kinds[i - 1] == 'N') {
                kinds[i] = 'S';
                rr[i] = 0.65 * RR;
                rr[i + 1] = 1.1 * RR;
            }
        }
        SyntheticEcg ecg = new SyntheticEcg(FS, rr, kinds, 150, 15, 7);

        Map<Character, Map<BeatClass, Integer>> confusion = confusion(ecg, kinds, classify(ecg));

        assertThat("ventricular beats called V " + confusion, share(confusion, 'V', BeatClass.V), greaterThanOrEqualTo(0.95));
        assertThat("atrial premature beats called S " + confusion, share(confusion, 'S', BeatClass.S),
                greaterThanOrEqualTo(0.9));
        assertThat("normal beats called N " + confusion, share(confusion, 'N', BeatClass.N), greaterThanOrEqualTo(0.98));
    }

    @Test
    void shouldTakeAWideRhythmBelow100BpmForTheOwnConductionButNeverOneAt150() {
        // A bundle branch block from the start at 70 bpm: wide beats, all on time, are the patient's normal.
        double[] slow = SyntheticEcg.regular(70, 200);
        char[] wide = new char[slow.length];
        java.util.Arrays.fill(wide, 'V');
        SyntheticEcg blocked = new SyntheticEcg(FS, slow, wide, 100, 10, 3);
        Map<Character, Map<BeatClass, Integer>> ownRhythm = confusion(blocked, wide, classify(blocked));
        assertThat("wide beats as the dominant rhythm are N " + ownRhythm, share(ownRhythm, 'V', BeatClass.N),
                greaterThanOrEqualTo(0.95));

        // Sinus rhythm, then a run of 20 wide beats at 150 bpm: ventricular tachycardia.
        int count = 160;
        double[] rr = new double[count];
        char[] kinds = new char[count];
        for (int i = 0; i < count; i++) {
            boolean run = i >= 100 && i < 120;
            rr[i] = run ? 0.4 : RR;
            kinds[i] = run ? 'V' : 'N';
        }
        SyntheticEcg tachycardia = new SyntheticEcg(FS, rr, kinds, 100, 10, 5);
        Map<Character, Map<BeatClass, Integer>> vt = confusion(tachycardia, kinds, classify(tachycardia));
        assertThat("every beat of the run is V " + vt, vt.get('V').getOrDefault(BeatClass.V, 0), is(20));
    }

    @Test
    void shouldCallBeatsQUntilItKnowsThePatientsNormalBeatAndClassifyTheLastOneAtTheEnd() {
        SyntheticEcg ecg = new SyntheticEcg(FS, SyntheticEcg.regular(75, 30), 0, 5, 1);
        List<ClassifiedBeat> classified = classify(ecg);

        assertThat("one class for every beat found", classified.size(), equalTo(ecg.beats.size()));
        assertThat(classified.get(0).beatClass(), is(BeatClass.Q));
        assertThat(classified.get(classified.size() - 1).beatClass(), is(BeatClass.N));
    }

    @Test
    void shouldResumeFromItsSavedStateExactlyAsIfItHadNeverStopped() throws Exception {
        int count = 120;
        double[] rr = new double[count];
        char[] kinds = new char[count];
        for (int i = 0; i < count; i++) {
            rr[i] = i % 5 == 0 ? 0.6 * RR : i % 5 == 1 ? 1.4 * RR : RR;
            kinds[i] = i % 5 == 0 && i > 0 ? 'V' : 'N';
        }
        SyntheticEcg ecg = new SyntheticEcg(FS, rr, kinds, 100, 10, 9);
        List<ClassifiedBeat> uninterrupted = classify(ecg);

        List<ClassifiedBeat> resumed = new ArrayList<>();
        QrsDetector detector = new QrsDetector(FS);
        BeatClassifier classifier = new BeatClassifier(FS);
        int half = ecg.samples.length / 2;
        for (int i = 0; i < ecg.samples.length; i++) {
            if (i == half) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                classifier.writeState(new java.io.DataOutputStream(bytes));
                classifier = BeatClassifier.readState(new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray())));
            }
            BeatClassifier current = classifier;
            current.accept(ecg.samples[i], resumed::add);
            detector.accept(ecg.samples[i], r -> current.beat(r, resumed::add));
        }
        classifier.flush(resumed::add);

        assertThat(resumed, equalTo(uninterrupted));
        assertThat("V beats among them", uninterrupted.stream().filter(b -> b.beatClass() == BeatClass.V).count(),
                greaterThanOrEqualTo(20L));
    }

    /** The QRS detector and the classifier on the same samples, as the topology runs them. */
    private static List<ClassifiedBeat> classify(SyntheticEcg ecg) {
        List<ClassifiedBeat> out = new ArrayList<>();
        QrsDetector detector = new QrsDetector(FS);
        BeatClassifier classifier = new BeatClassifier(FS);
        for (double sample : ecg.samples) {
            classifier.accept(sample, out::add);
            detector.accept(sample, r -> classifier.beat(r, out::add));
        }
        classifier.flush(out::add);
        return out;
    }

    /** Truth kind → class given, for the beats after the first 20 s (the patient's beats learned). */
    private static Map<Character, Map<BeatClass, Integer>> confusion(SyntheticEcg ecg, char[] kinds,
            List<ClassifiedBeat> classified) {
        Map<Character, Map<BeatClass, Integer>> confusion = new java.util.TreeMap<>();
        long window = Math.round(0.1 * FS);
        for (int b = 0; b < ecg.beats.size(); b++) {
            long r = ecg.beats.get(b);
            if (r < 20 * FS) {
                continue;
            }
            BeatClass given = classified.stream().filter(c -> Math.abs(c.rIndex() - r) <= window).map(ClassifiedBeat::beatClass)
                    .findFirst().orElse(null);
            if (given != null) {
                confusion.computeIfAbsent(kinds[b], k -> new EnumMap<>(BeatClass.class)).merge(given, 1, Integer::sum);
            }
        }
        return confusion;
    }

    private static double share(Map<Character, Map<BeatClass, Integer>> confusion, char kind, BeatClass beatClass) {
        Map<BeatClass, Integer> row = confusion.getOrDefault(kind, Map.of());
        int total = row.values().stream().mapToInt(Integer::intValue).sum();
        return total == 0 ? 0 : (double) row.getOrDefault(beatClass, 0) / total;
    }
}
