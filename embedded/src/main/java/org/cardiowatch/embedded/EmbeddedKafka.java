package org.cardiowatch.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.cardiowatch.schemas.topics.TopicProvisioner;
import org.cardiowatch.schemas.transport.KafkaClientTls;

/**
 * Real Apache Kafka (KRaft, each node both broker and controller) inside this JVM: one node for the
 * local stack, or a cluster of three as in production (replication factor 3, min in-sync replicas 2)
 * for the fault tests. Nodes keep their ports and data folders across {@link #stop()} and
 * {@link #start()}, so tests can take Kafka, or one broker of it, away and bring it back.
 *
 * <p>With {@link Tls}, clients must speak mutual TLS (a certificate of the given authority) on
 * the client port; the nodes replicate among themselves over a loopback plaintext listener of
 * their own, as in-JVM nodes of one machine may (Strimzi encrypts that path too).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * Mutual TLS on the client listener.
     *
     * @param serverKeyStore PKCS12 with the brokers' certificate (for 127.0.0.1)
     * @param trustStore PKCS12 with the authority that signs client certificates
     * @param ownKeyStore PKCS12 with a client certificate for this class's own admin client
     * @param password of the three stores
     * @param superUsers null: any client with a certificate may do anything; else Kafka's ACLs
     *        apply to every client but these common names (this class's own certificate's among
     *        them). A client's principal is {@code User:CN=<common name>}, as Strimzi names a KafkaUser.
     */
    public record Tls(Path serverKeyStore, Path trustStore, Path ownKeyStore, char[] password, Set<String> superUsers) {

        /** The Kafka client settings of a client presenting the certificate in {@code keyStore}. */
        public Map<String, Object> clientSettings(Path keyStore) {
            return new KafkaClientTls(Optional.of(trustStore), Optional.of(new String(password)), Optional.of(keyStore),
                    Optional.of(new String(password)), "embedded-kafka").clientSettings(Map.of());
        }
    }

    private final Path dataDir;
    private final List<Node> nodes;
    private final Tls tls;

    private EmbeddedKafka(Path dataDir, List<Node> nodes, Tls tls) {
        this.dataDir = dataDir;
        this.nodes = nodes;
        this.tls = tls;
    }

    /** A single node: formats the data folder if it is new and starts it on the given port (0: any free port). */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, 1);
    }

    /**
     * @param port the first node's port (0: any free port); the others take free ports
     * @param nodeCount 1, or 3 and more for a replicated cluster (each node in {@code dataDir/node-N})
     */
    public static EmbeddedKafka start(Path dataDir, int port, int nodeCount) {
        return start(dataDir, port, nodeCount, null);
    }

    /** @param tls mutual TLS for clients, or null for plaintext */
    public static EmbeddedKafka start(Path dataDir, int port, int nodeCount, Tls tls) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("A Kafka cluster needs at least one node, not " + nodeCount);
        }
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++) {
            // A single node keeps its data directly in dataDir, as the local stack always has.
            Path folder = nodeCount == 1 ? dataDir : dataDir.resolve("node-" + id);
            int nodePort = id == 1 && port != 0 ? port : FreePorts.next();
            nodes.add(new Node(id, nodePort, FreePorts.next(), FreePorts.next(), folder));
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, nodes, tls);
        kafka.start();
        return kafka;
    }

    /** Creates every CardioWatch topic that is missing, with this cluster's replication factor. */
    public EmbeddedKafka createTopics(int partitions) {
        try (Admin admin = Admin.create(adminSettings())) {
            TopicProvisioner.createMissing(admin, partitions, replicationFactor());
        }
        return this;
    }

    /** Grants these ACLs (Kafka enforces them when started with {@link Tls#superUsers()}). */
    public EmbeddedKafka createAcls(List<AclBinding> acls) {
        try (Admin admin = Admin.create(adminSettings())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            // Created is not yet enforced: wait until Kafka answers with every binding, so a service
            // started next is not refused for a grant still on its way (it would retry, logging errors).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not enforce the ACLs created within 30 s");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka ACLs", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot create Kafka ACLs: " + e.getMessage(), e);
        }
        return this;
    }

    /** Three replicas where there are three nodes or more, else one per node. */
    public short replicationFactor() {
        return (short) Math.min(3, nodes.size());
    }

    /** Two in-sync replicas must take each write once there are three; one node takes it alone. */
    private int minInSyncReplicas() {
        return nodes.size() >= 3 ? 2 : 1;
    }

    /** The settings a client of this JVM needs besides the bootstrap servers: none, or mutual TLS with this class's certificate. */
    public Map<String, Object> clientSettings() {
        return tls == null ? Map.of() : tls.clientSettings(tls.ownKeyStore());
    }

    private Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(clientSettings());
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return settings;
    }

    /** Every node's address: clients reach the cluster while any of them is up. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
    }

    /** Starts every node that is not running, together: a KRaft node waits for a quorum of controllers. */
    public synchronized void start() {
        String clusterId = clusterId();
        CompletableFuture.allOf(nodes.stream()
                .filter(node -> node.server == null)
                .map(node -> CompletableFuture.runAsync(() -> startNode(node, clusterId)))
                .toArray(CompletableFuture[]::new)).join();
        awaitReady(Duration.ofSeconds(60));
    }

    /** Stops every node, together, and keeps their data: {@link #start()} brings the same cluster back. */
    public synchronized void stop() {
        CompletableFuture.allOf(nodes.stream()
                .map(node -> CompletableFuture.runAsync(() -> stopNode(node)))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** Stops one node (ids count from 1), as when a broker is lost; the others carry on. */
    public synchronized void stopNode(int nodeId) {
        stopNode(node(nodeId));
    }

    /** Brings a stopped node back; it catches up from the others. */
    public synchronized void startNode(int nodeId) {
        startNode(node(nodeId), clusterId());
        awaitReady(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        stop();
    }

    private Node node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("No Kafka node " + nodeId + " in a cluster of " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    private void startNode(Node node, String clusterId) {
        if (node.server != null) {
            return;
        }
        KafkaConfig config = new KafkaConfig(brokerProperties(node), false);
        format(node, clusterId);
        node.server = new KafkaRaftServer(config, Time.SYSTEM);
        node.server.startup();
    }

    private static void stopNode(Node node) {
        if (node.server == null) {
            return;
        }
        node.server.shutdown();
        node.server.awaitShutdown();
        node.server = null;
    }

    private Properties brokerProperties(Node node) {
        String voters = nodes.stream().map(n -> n.id + "@127.0.0.1:" + n.controllerPort).collect(Collectors.joining(","));
        String replicas = String.valueOf(replicationFactor());
        String minInSync = String.valueOf(minInSyncReplicas());
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(node.id));
        props.put("controller.quorum.voters", voters);
        putListeners(props, node);
        props.put("log.dirs", node.folder.toAbsolutePath().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minInSync);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInSync);
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInSync);
        props.put("group.initial.rebalance.delay.ms", "0");
        // A node stops as a crashed broker does, without handing its leaderships over first: the
        // fault tests lose a broker that way, and the last nodes of a cluster being stopped would
        // otherwise wait minutes for a controller that is gone.
        props.put("controlled.shutdown.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return props;
    }

    private void putListeners(Properties props, Node node) {
        props.put("controller.listener.names", "CONTROLLER");
        if (tls == null) {
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + node.port + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.port);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            return;
        }
        props.put("listeners", "CLIENT://127.0.0.1:" + node.port + ",INTERNAL://127.0.0.1:" + node.internalPort
                + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
        props.put("advertised.listeners", "CLIENT://127.0.0.1:" + node.port + ",INTERNAL://127.0.0.1:" + node.internalPort);
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.security.protocol.map", "CLIENT:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        String password = new String(tls.password());
        if (tls.superUsers() != null) {
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // The nodes among themselves (internal and controller listeners) are ANONYMOUS.
            props.put("super.users", Stream.concat(Stream.of("User:ANONYMOUS"),
                    tls.superUsers().stream().map(name -> "User:CN=" + name)).collect(Collectors.joining(";")));
        }
        // A certificate of CN=cw-ingest (whatever else its name holds, in whatever order) is the principal User:CN=cw-ingest.
        props.put("listener.name.client.ssl.principal.mapping.rules", "RULE:^.*(CN=[^,]+).*$/$1/,DEFAULT");
        props.put("listener.name.client.ssl.client.auth", "required");
        props.put("listener.name.client.ssl.keystore.type", "PKCS12");
        props.put("listener.name.client.ssl.keystore.location", tls.serverKeyStore().toAbsolutePath().toString());
        props.put("listener.name.client.ssl.keystore.password", password);
        props.put("listener.name.client.ssl.key.password", password);
        props.put("listener.name.client.ssl.truststore.type", "PKCS12");
        props.put("listener.name.client.ssl.truststore.location", tls.trustStore().toAbsolutePath().toString());
        props.put("listener.name.client.ssl.truststore.password", password);
    }

    /**
     * The cluster id every node is formatted with. A single node needs none kept; a cluster keeps
     * it beside the node folders so a node formatted later joins the same cluster.
     */
    private String clusterId() {
        if (nodes.size() == 1) {
            return Uuid.randomUuid().toString();
        }
        Path file = dataDir.resolve("cluster.id");
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                Files.writeString(file, Uuid.randomUuid().toString());
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the Kafka cluster id in " + file, e);
        }
    }

    private static void format(Node node, String clusterId) {
        try {
            Files.createDirectories(node.folder);
            if (Files.exists(node.folder.resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node.id)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(node.folder.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(node.folder.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data folder " + node.folder, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + node.folder + ": " + e.getMessage(), e);
        }
    }

    /** Waits until every running node is in the cluster's metadata. */
    private void awaitReady(Duration timeout) {
        long running = nodes.stream().filter(node -> node.server != null).count();
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(adminSettings())) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= running) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka did not become ready within " + timeout, notYet);
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Not every Kafka node joined within " + timeout);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    /** One KRaft node: its ports and folder stay the same across restarts. */
    private static final class Node {
        final int id;
        final int port;
        final int controllerPort;
        /** Replication between nodes when clients speak TLS on {@link #port}. */
        final int internalPort;
        final Path folder;
        KafkaRaftServer server;

        Node(int id, int port, int controllerPort, int internalPort, Path folder) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.internalPort = internalPort;
            this.folder = folder;
        }
    }
}
