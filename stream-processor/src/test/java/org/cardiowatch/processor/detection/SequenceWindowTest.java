package org.cardiowatch.processor.detection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.cardiowatch.processor.detection.SequenceWindow.Verdict;
import org.junit.jupiter.api.Test;

class SequenceWindowTest {

    @Test
    void shouldTakeEachSequenceNumberOnceInAnyOrderWithinTheWindow() {
        SequenceWindow window = SequenceWindow.EMPTY;
        for (long sequence : new long[] {1, 2, 5, 3, 4, 10}) {
            assertThat("first sight of " + sequence, window.check(sequence), is(Verdict.NEW));
            window = window.accept(sequence);
        }
        for (long sequence : new long[] {1, 2, 3, 4, 5, 10}) {
            assertThat("second sight of " + sequence, window.check(sequence), is(Verdict.DUPLICATE));
        }
        assertThat("6 was never seen", window.check(6), is(Verdict.NEW));
    }

    @Test
    void shouldCallASequenceNumberBehindTheWindowTooOld() {
        SequenceWindow window = SequenceWindow.EMPTY.accept(100).accept(200);
        assertThat(window.check(200 - 63), is(Verdict.NEW));
        assertThat(window.check(200 - 64), is(Verdict.TOO_OLD));
        assertThat("100 fell out of the window when 200 came", window.check(100), is(Verdict.TOO_OLD));
    }
}
