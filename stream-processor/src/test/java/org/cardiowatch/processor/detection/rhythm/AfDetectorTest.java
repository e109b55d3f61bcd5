package org.cardiowatch.processor.detection.rhythm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AfDetectorTest {

    @Test
    void shouldNotCallSinusRhythmWithIsolatedEctopicBeatsAtrialFibrillation() {
        Random random = new Random(1);
        List<Integer> rr = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            if (i % 12 == 5) {
                rr.add(520);
                rr.add(1100);
            } else {
                rr.add(800 + (int) (random.nextGaussian() * 15));
            }
        }
        assertThat("premature beats with compensatory pauses are not AF", run(rr), empty());
    }

    @Test
    void shouldNotCallSinusRhythmWithFrequentPrematureBeatsAtrialFibrillation() {
        Random random = new Random(5);
        List<Integer> rr = new ArrayList<>();
        while (rr.size() < 900) {
            for (int sinus = 1 + random.nextInt(3); sinus > 0; sinus--) {
                rr.add(820 + (int) (random.nextGaussian() * 12));
            }
            rr.add(420 + random.nextInt(240));
            rr.add(920 + random.nextInt(260));
        }
        assertThat("premature beats every two to four beats, each timed differently, on a steady sinus rhythm: "
                + "regular once they are set aside", run(rr), empty());
    }

    @Test
    void shouldNotCallTrigeminyAtrialFibrillation() {
        Random random = new Random(6);
        List<Integer> rr = new ArrayList<>();
        while (rr.size() < 900) {
            rr.add(820 + (int) (random.nextGaussian() * 25));
            rr.add(560 + (int) (random.nextGaussian() * 40));
            rr.add(960 + (int) (random.nextGaussian() * 40));
        }
        assertThat("a pattern repeating every three beats is not AF", run(rr), empty());
    }

    @Test
    void shouldNotCallSinusArrhythmiaAtrialFibrillation() {
        List<Integer> rr = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            rr.add((int) (900 + 120 * Math.sin(2 * Math.PI * i / 5.0)));
        }
        assertThat("breathing modulates the rate smoothly; that is not AF", run(rr), empty());
    }

    @Test
    void shouldOpenAnEpisodeForIrregularlyIrregularRrAndEndItWhenSinusReturns() {
        Random random = new Random(2);
        List<Integer> rr = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rr.add(850 + (int) (random.nextGaussian() * 15));
        }
        for (int i = 0; i < 400; i++) {
            rr.add(350 + random.nextInt(650));
        }
        for (int i = 0; i < 300; i++) {
            rr.add(850 + (int) (random.nextGaussian() * 15));
        }
        List<AfDetector.Transition> transitions = run(rr);

        assertThat("one onset and one end", transitions, hasSize(2));
        assertThat(transitions.get(0).atrialFibrillation(), is(true));
        assertThat(transitions.get(1).atrialFibrillation(), is(false));
        long onset = sum(rr, 200);
        long end = sum(rr, 600);
        assertThat("the onset is dated within 20 s of the true onset",
                (double) Math.abs(transitions.get(0).at() - onset), lessThan(20_000.0));
        assertThat("the end is dated within 20 s of the true end",
                (double) Math.abs(transitions.get(1).at() - end), lessThan(20_000.0));
        assertThat("the decision comes after the onset it reports",
                transitions.get(0).decidedAt() >= transitions.get(0).at(), is(true));
    }

    @Test
    void shouldSayWhichCriteriaAWindowMeets() {
        AfDetector detector = AfDetector.withDefaults();
        assertThat("no verdict before the window is full", detector.criteria(), is(nullValue()));
        Random random = new Random(3);
        long time = 0;
        for (int i = 0; i < 60; i++) {
            int interval = 350 + random.nextInt(650);
            detector.accept(time += interval, interval);
        }
        assertThat("irregularly irregular intervals meet every criterion", detector.criteria().allMet(), is(true));

        List<Integer> trigeminy = List.of(820, 560, 960);
        for (int i = 0; i < 60; i++) {
            int interval = trigeminy.get(i % 3) + random.nextInt(30);
            detector.accept(time += interval, interval);
        }
        AfDetector.WindowCriteria criteria = detector.criteria();
        assertThat("trigeminy is irregular from beat to beat", criteria.irregular(), is(true));
        assertThat("but it repeats every three beats", criteria.aperiodic(), is(false));
        assertThat(criteria.allMet(), is(false));
    }

    private static List<AfDetector.Transition> run(List<Integer> rr) {
        AfDetector detector = AfDetector.withDefaults();
        List<AfDetector.Transition> transitions = new ArrayList<>();
        long time = 0;
        for (int interval : rr) {
            time += interval;
            AfDetector.Transition transition = detector.accept(time, interval);
            if (transition != null) {
                transitions.add(transition);
            }
        }
        return transitions;
    }

    private static long sum(List<Integer> rr, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += rr.get(i);
        }
        return total;
    }
}
