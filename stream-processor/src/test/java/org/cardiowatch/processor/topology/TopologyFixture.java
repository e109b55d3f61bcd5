package org.cardiowatch.processor.topology;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.cardiowatch.schemas.topics.Topic;

/** The processor's topology in a TopologyTestDriver with a fixed start instant, and its topics. */
final class TopologyFixture implements AutoCloseable {

    final TopologyTestDriver driver;

    TopologyFixture(Path stateDir, Instant start) {
        this(stateDir, start, new Properties());
    }

    /** @param settings Kafka Streams settings beside the fixture's own */
    TopologyFixture(Path stateDir, Instant start, Properties settings) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ProcessorTopology.build(ProcessorTopologyTest.SETTINGS), props, start);
    }

    <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
