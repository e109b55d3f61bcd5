package org.cardiowatch.processor.topology;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.QrsDetector;
import org.cardiowatch.processor.detection.ecg.SyntheticEcg;
import org.junit.jupiter.api.Test;

/** The ECG analysis state of a processor from before beats were classified stays readable after an upgrade. */
class EcgStateFormatTest {

    @Test
    void shouldReadADetectorOnlyStateAndGoOnWithANewClassifierOnTheSameSampleNumbers() throws Exception {
        SyntheticEcg signal = new SyntheticEcg(250, SyntheticEcg.regular(75, 60), 100, 10, 4);
        QrsDetector detector = new QrsDetector(250);
        int half = signal.samples.length / 2;
        for (int i = 0; i < half; i++) {
            detector.accept(signal.samples[i], r -> { });
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // the state format byte every store value starts with
            out.writeLong(1_000L);
            out.writeLong(EcgAnalysis.UNKNOWN);
            detector.writeState(out);
        }

        EcgAnalysis restored = StateSerdes.ECG_ANALYSIS.deserializer().deserialize("t", bytes.toByteArray());
        List<BeatClassifier.ClassifiedBeat> classified = new ArrayList<>();
        for (int i = half; i < signal.samples.length; i++) {
            restored.classifier().accept(signal.samples[i], classified::add);
            restored.detector().accept(signal.samples[i], r -> restored.classifier().beat(r, classified::add));
        }

        assertThat(restored.originMillis(), equalTo(1_000L));
        assertThat("it learns the patient again and classifies", classified.stream()
                .filter(b -> b.beatClass() == BeatClassifier.BeatClass.N).count(), greaterThan(10L));
        assertThat("on the detector's sample numbers", classified.get(0).rIndex(), greaterThan((long) half));
        byte[] again = StateSerdes.ECG_ANALYSIS.serializer().serialize("t", restored);
        assertThat("and is written back with its classifier, after the detector", again.length,
                greaterThan(bytes.size() + 2_000));
    }
}
