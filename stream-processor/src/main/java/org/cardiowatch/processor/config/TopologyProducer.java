package org.cardiowatch.processor.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.ThresholdDefaults;
import org.cardiowatch.processor.topology.ProcessorSettings;
import org.cardiowatch.processor.topology.ProcessorTopology;

/** Hands the topology to Quarkus' Kafka Streams extension, which runs and health-checks it. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(ProcessorConfig config) {
        return ProcessorTopology.build(settings(config));
    }

    static ProcessorSettings settings(ProcessorConfig config) {
        ProcessorConfig.Thresholds t = config.thresholds();
        return new ProcessorSettings(
                new ThresholdDefaults(t.heartRateLowBpm(), t.heartRateHighBpm(), t.spo2LowPercent(),
                        t.systolicHighMmHg(), t.systolicLowMmHg(), t.sustain()),
                t.clearAfter(), config.signalLoss().timeout(), config.signalLoss().checkInterval(),
                config.aggregates().minuteGrace(), config.rhythm().pauseLimit(), config.rhythm().pauseQuietPeriod(),
                config.rhythm().reportedRateHold(),
                new SourceAgreement.Limits(config.sources().heartRateToleranceBpm(),
                        config.sources().spo2TolerancePercent(), config.sources().systolicToleranceMmHg(),
                        config.sources().disagreementSustain(), config.sources().freshness()),
                config.monitoringEnds().retention(), config.deadLetters().clearAfter());
    }
}
