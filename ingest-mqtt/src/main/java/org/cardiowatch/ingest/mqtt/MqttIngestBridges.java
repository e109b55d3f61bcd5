package org.cardiowatch.ingest.mqtt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * The bridge on a set of MQTT brokers: one {@link MqttIngestBridge} per broker. Devices only
 * publish and the bridge is the only subscriber, so the brokers need not route messages between
 * them: each device connects to any broker, and every broker is drained by the bridge. A broker
 * the bridge is not connected to keeps what its devices sent in the bridge's session until the
 * bridge is back, so the bridge is ready only when connected to every broker of the set.
 */
public final class MqttIngestBridges implements AutoCloseable {

    private final List<MqttIngestBridge> bridges;

    private MqttIngestBridges(List<MqttIngestBridge> bridges) {
        this.bridges = bridges;
    }

    /**
     * Starts one bridge per broker, waiting up to {@code timeoutMillis} for each to connect (one
     * that cannot keeps trying in the background).
     *
     * @param serverUris one URI per broker, none twice
     * @param bridgeTo makes the bridge of one broker URI
     */
    public static MqttIngestBridges start(List<String> serverUris, Function<String, MqttIngestBridge> bridgeTo,
            long timeoutMillis) {
        checkServerUris(serverUris);
        List<MqttIngestBridge> started = new ArrayList<>();
        try {
            for (String uri : serverUris) {
                started.add(bridgeTo.apply(uri).start(timeoutMillis));
            }
            return new MqttIngestBridges(List.copyOf(started));
        } catch (RuntimeException e) {
            started.forEach(MqttIngestBridge::close);
            throw e;
        }
    }

    /** Refuses an empty list, a blank URI and a broker given twice (two sessions under one client id). */
    static void checkServerUris(List<String> serverUris) {
        if (serverUris.isEmpty()) {
            throw new IllegalArgumentException("cardiowatch.ingest.mqtt.server-uri names no MQTT broker");
        }
        var seen = new HashSet<String>();
        for (String uri : serverUris) {
            if (uri.isBlank()) {
                throw new IllegalArgumentException("cardiowatch.ingest.mqtt.server-uri has an empty entry");
            }
            if (!seen.add(uri.trim())) {
                throw new IllegalArgumentException("cardiowatch.ingest.mqtt.server-uri names " + uri.trim() + " twice");
            }
        }
    }

    public boolean isConnectedToAll() {
        return bridges.stream().allMatch(MqttIngestBridge::isConnected);
    }

    public long connectedCount() {
        return bridges.stream().filter(MqttIngestBridge::isConnected).count();
    }

    public int size() {
        return bridges.size();
    }

    /** Messages received from every broker and not yet acknowledged (waiting for Kafka). */
    public int inFlight() {
        return bridges.stream().mapToInt(MqttIngestBridge::inFlight).sum();
    }

    @Override
    public void close() {
        bridges.forEach(MqttIngestBridge::close);
    }
}
