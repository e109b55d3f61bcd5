package org.cardiowatch.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The ACLs of the Strimzi {@code KafkaUser}s in {@code deploy/kubernetes/kafka.yaml}, as Kafka
 * ACL bindings: the local stack's Kafka enforces the same least privilege as production, so an
 * ACL missing there stops the local stack and its tests rather than a hospital's installation.
 * A KafkaUser {@code cw-ingest} with TLS authentication is the principal {@code User:CN=cw-ingest}.
 */
public final class KafkaUserAcls {

    private KafkaUserAcls() {
    }

    public static List<AclBinding> read(Path kafkaYaml) {
        List<AclBinding> bindings = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(kafkaYaml)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (document instanceof Map<?, ?> object && "KafkaUser".equals(object.get("kind"))) {
                    bindings.addAll(of(object, kafkaYaml));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the KafkaUsers' ACLs in " + kafkaYaml + ": " + e.getMessage(), e);
        }
        return bindings;
    }

    private static List<AclBinding> of(Map<?, ?> user, Path file) {
        String name = (String) ((Map<?, ?>) user.get("metadata")).get("name");
        String principal = "User:CN=" + name;
        Map<?, ?> authorization = (Map<?, ?>) ((Map<?, ?>) user.get("spec")).get("authorization");
        List<AclBinding> bindings = new ArrayList<>();
        for (Object entry : (List<?>) authorization.get("acls")) {
            Map<?, ?> acl = (Map<?, ?>) entry;
            Map<?, ?> resource = (Map<?, ?>) acl.get("resource");
            ResourcePattern pattern = pattern(resource, name, file);
            for (Object operation : (List<?>) acl.get("operations")) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*",
                        operation(operation.toString(), name, file), AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    private static ResourcePattern pattern(Map<?, ?> resource, String user, Path file) {
        String type = String.valueOf(resource.get("type"));
        if (type.equals("cluster")) {
            return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        }
        ResourceType resourceType = ResourceType.fromString(upperSnake(type));
        PatternType patternType = "prefix".equals(resource.get("patternType")) ? PatternType.PREFIXED : PatternType.LITERAL;
        if (resourceType == ResourceType.UNKNOWN) {
            throw new IllegalStateException("KafkaUser " + user + " in " + file + ": unknown resource type " + type);
        }
        return new ResourcePattern(resourceType, String.valueOf(resource.get("name")), patternType);
    }

    private static AclOperation operation(String operation, String user, Path file) {
        AclOperation parsed = AclOperation.fromString(upperSnake(operation));
        if (parsed == AclOperation.UNKNOWN) {
            throw new IllegalStateException("KafkaUser " + user + " in " + file + ": unknown operation " + operation);
        }
        return parsed;
    }

    /** Strimzi's {@code transactionalId}, {@code IdempotentWrite} as Kafka's TRANSACTIONAL_ID, IDEMPOTENT_WRITE. */
    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
