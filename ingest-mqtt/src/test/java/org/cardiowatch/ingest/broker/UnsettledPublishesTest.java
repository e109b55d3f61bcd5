package org.cardiowatch.ingest.broker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UnsettledPublishesTest {

    private final AtomicInteger ended = new AtomicInteger();
    private final UnsettledPublishes connection = new UnsettledPublishes(3, ended::incrementAndGet);

    @Test
    void shouldEndTheConnectionOnceItsFailuresPassTheLimit() {
        for (int i = 0; i < 3; i++) {
            connection.received();
        }
        assertThat("three publishes not answered with success: the limit", ended.get(), is(0));

        connection.received();
        assertThat("the fourth ends the connection", ended.get(), is(1));
    }

    @Test
    void shouldNotCountWhatWasAnsweredWithSuccess() {
        for (int i = 0; i < 100; i++) {
            connection.received();
            connection.succeeded();
        }

        assertThat(ended.get(), is(0));
    }

    @Test
    void shouldEndTheConnectionOnlyOnceWhateverComesAfter() {
        for (int i = 0; i < 10; i++) {
            connection.received();
        }

        assertThat(ended.get(), is(1));
    }

    @Test
    void shouldRefuseALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new UnsettledPublishes(0, () -> { }));
    }
}
