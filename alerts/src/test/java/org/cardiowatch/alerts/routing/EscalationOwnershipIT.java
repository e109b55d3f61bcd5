package org.cardiowatch.alerts.routing;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two alerts instances on a real Kafka broker: each alert is escalated and saved by exactly one of them. */
class EscalationOwnershipIT {

    private static final int PARTITIONS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void shouldGiveEachPatientToOneInstanceAndAllToTheOneLeft() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0).createTopics(PARTITIONS);
                EscalationOwnership first = new EscalationOwnership(kafka.bootstrapServers(), Map.of(), given -> { }).start()) {
            EscalationOwnership second = new EscalationOwnership(kafka.bootstrapServers(), Map.of(), given -> { }).start();
            await("both instances hold partitions, together all of them").atMost(WAIT).until(() ->
                    !first.ownedPartitions().isEmpty() && !second.ownedPartitions().isEmpty()
                            && first.ownedPartitions().size() + second.ownedPartitions().size() == PARTITIONS);

            Set<Integer> shared = new HashSet<>(first.ownedPartitions());
            shared.retainAll(second.ownedPartitions());
            assertThat("no partition is held twice", shared, empty());
            long ownedOnce = IntStream.range(0, 200).mapToObj(i -> "alert-" + i)
                    .filter(alert -> first.owns(alert) ^ second.owns(alert)).count();
            assertThat("every alert is escalated by exactly one instance", ownedOnce, is(200L));

            second.close();
            await("the instance left escalates everyone").atMost(WAIT)
                    .until(() -> first.ownedPartitions().size() == PARTITIONS);
        }
    }
}
