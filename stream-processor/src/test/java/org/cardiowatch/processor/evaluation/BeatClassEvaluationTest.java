package org.cardiowatch.processor.evaluation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.cardiowatch.processor.detection.ecg.BeatClassifier.BeatClass;
import org.cardiowatch.processor.detection.ecg.BeatClassifier.ClassifiedBeat;
import org.junit.jupiter.api.Test;

/** The EC57-style rules the beat-class evaluation scores by. */
class BeatClassEvaluationTest {

    private static final double FS = 360;

    @Test
    void shouldCallThreeOrMoreVentricularBeatsAt100BpmOrMoreAnEpisode() {
        List<ClassifiedBeat> beats = List.of(
                beat(0, BeatClass.N), beat(300, BeatClass.V), beat(500, BeatClass.V), beat(700, BeatClass.V),
                beat(1000, BeatClass.N),
                // A couplet: not an episode.
                beat(1300, BeatClass.V), beat(1500, BeatClass.V), beat(1800, BeatClass.N),
                // Three V beats at 50 bpm (1.2 s apart): an idioventricular rhythm, not a tachycardia.
                beat(2232, BeatClass.V), beat(2664, BeatClass.V), beat(3096, BeatClass.V));

        List<long[]> episodes = BeatClassEvaluation.detectedEpisodes(beats, BeatClass.V, FS);

        assertThat(episodes.stream().map(e -> e[0] + "-" + e[1]).toList(), contains("300-700"));
        assertThat("no run of S beats", BeatClassEvaluation.detectedEpisodes(beats, BeatClass.S, FS), empty());
    }

    @Test
    void shouldCountAnEpisodeFoundWhenTheOtherOverlapsItAndScoreOnlyFromItsStart() {
        List<long[]> reference = List.of(new long[] {100, 200}, new long[] {1000, 1100}, new long[] {5000, 5200});
        List<long[]> detected = List.of(new long[] {150, 250}, new long[] {3000, 3010}, new long[] {5100, 5150});

        BeatClassEvaluation.EpisodeScore score = BeatClassEvaluation.episodes(reference, detected, 900);

        assertThat("reference from sample 900: two, one found; detected: two, one true",
                List.of(score.referenceFound(), score.reference(), score.detectedTrue(), score.detected()),
                equalTo(List.of(1L, 2L, 1L, 2L)));
    }

    @Test
    void shouldTakeEachVtRhythmUntilTheNextRhythmChange() {
        List<WfdbAnnotations.Annotation> reference = List.of(
                new WfdbAnnotations.Annotation(0, WfdbAnnotations.RHYTHM, "(N"),
                new WfdbAnnotations.Annotation(100, WfdbAnnotations.RHYTHM, "(VT"),
                new WfdbAnnotations.Annotation(150, 5, null),
                new WfdbAnnotations.Annotation(300, WfdbAnnotations.RHYTHM, "(N"),
                new WfdbAnnotations.Annotation(900, WfdbAnnotations.RHYTHM, "(VT"));

        List<long[]> episodes = BeatClassEvaluation.referenceEpisodes(reference, "(VT", 1000);

        assertThat(episodes.stream().map(e -> e[0] + "-" + e[1]).toList(), contains("100-300", "900-1000"));
        assertThat(BeatClassEvaluation.referenceEpisodes(reference.subList(0, 1), "(VT", 1000), empty());
        assertThat("another rhythm's name", BeatClassEvaluation.referenceEpisodes(reference, "(SVTA", 1000), empty());
    }

    private static ClassifiedBeat beat(long r, BeatClass beatClass) {
        return new ClassifiedBeat(r, beatClass);
    }
}
