package org.cardiowatch.embedded;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority.ClientKind;
import org.cardiowatch.schemas.wire.DeviceTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker's side of device identity (a HiveMQ extension). Every client presents a
 * certificate (the listener requires one); its common name is who it is, its organisational unit
 * what it is. A device certificate connects only while the device is enrolled and active, may only
 * publish under {@code cw/v1/}, never subscribe, and each of its messages is stamped with its
 * certified device id in the user property {@link DeviceTopic#CERTIFIED_IDENTITY_PROPERTY}
 * (replacing any the client set), so the ingest can refuse a message whose topic names another
 * device. A service certificate may subscribe, except on a broker with the ingest in it, where no
 * client may. Revoking a device disconnects it.
 *
 * <p>Given an ingest interceptor, every publish then goes through it, after the stamp: the
 * ingest in the broker's publish path, which answers each publish itself (and no client may
 * subscribe on that broker).
 */
public final class DeviceAccessExtension implements ExtensionMain {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAccessExtension.class);

    private final Predicate<String> activeDevice;
    /** Runs after the identity stamp on every publish; null when messages go to subscribers. */
    private final PublishPath ingest;
    /** Connected device clients: MQTT client id to certified device id. */
    private final Map<String, String> deviceOfClient = new ConcurrentHashMap<>();
    private final Map<ConnectionRefusal, LongAdder> refusals = new java.util.EnumMap<>(ConnectionRefusal.class);
    /**
     * This broker's client service, taken at start: HiveMQ's {@link Services} is one static holder
     * per class loader, which another broker started later in the same JVM would replace.
     */
    private volatile ClientService clients;

    /** @param activeDevice whether a device id is enrolled and active (read from cw.devices) */
    public DeviceAccessExtension(Predicate<String> activeDevice) {
        this(activeDevice, null);
    }

    /**
     * @param activeDevice whether a device id is enrolled and active (read from cw.devices)
     * @param ingest runs on every publish after the identity stamp; null for none
     */
    public DeviceAccessExtension(Predicate<String> activeDevice, PublishPath ingest) {
        this.activeDevice = activeDevice;
        this.ingest = ingest;
        for (ConnectionRefusal reason : ConnectionRefusal.values()) {
            refusals.put(reason, new LongAdder());
        }
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) this::authenticate);
        Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
            // Interceptors of one extension run in the order they are added: the stamp comes first.
            clientContext.addPublishInboundInterceptor(this::stampIdentity);
            if (ingest != null) {
                String clientId = initializerInput.getClientInformation().getClientId();
                clientContext.addPublishInboundInterceptor(ingest.forConnection(clientId, () -> endConnection(clientId)));
            }
        });
        clients = Services.clientService();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        clients = null;
    }

    /** Called when a device's enrolment changes: a device no longer active is disconnected at once. */
    public void deviceChanged(String deviceId) {
        ClientService service = clients;
        if (service == null || activeDevice.test(deviceId)) {
            return;
        }
        deviceOfClient.forEach((clientId, device) -> {
            if (device.equals(deviceId)) {
                service.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED,
                        "device enrolment revoked");
            }
        });
    }

    private void endConnection(String clientId) {
        ClientService service = clients;
        if (service != null) {
            service.disconnectClient(clientId, false, DisconnectReasonCode.SERVER_BUSY,
                    "too many messages not stored on this connection: reconnect and send again");
        }
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<X509Certificate> certificate = input.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate);
        Optional<Identity> identity = certificate.flatMap(DeviceAccessExtension::identityOf);
        String clientId = input.getClientInformation().getClientId();
        if (identity.isEmpty()) {
            refuse(output, certificate.isEmpty() ? ConnectionRefusal.NO_CLIENT_CERTIFICATE
                    : ConnectionRefusal.NOT_A_CARDIOWATCH_CERTIFICATE, "-", input);
            return;
        }
        if (identity.get().kind() == ClientKind.SERVICE) {
            if (ingest != null) {
                // The ingest passes stored messages on, emptied (its success PUBACK): on its broker nobody subscribes.
                output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            }
            output.authenticateSuccessfully();
            return;
        }
        String deviceId = identity.get().name();
        if (!activeDevice.test(deviceId)) {
            refuse(output, ConnectionRefusal.DEVICE_NOT_ENROLLED_OR_REVOKED, deviceId, input);
            return;
        }
        deviceOfClient.put(clientId, deviceId);
        output.getDefaultPermissions().add(Builders.topicPermission().topicFilter(DeviceTopic.PREFIX + "+/+")
                .type(TopicPermission.PermissionType.ALLOW).activity(TopicPermission.MqttActivity.PUBLISH).build());
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    /** Why the broker refused a connection; counted and logged for operators. */
    public enum ConnectionRefusal {
        NO_CLIENT_CERTIFICATE, NOT_A_CARDIOWATCH_CERTIFICATE, DEVICE_NOT_ENROLLED_OR_REVOKED
    }

    /** Connections refused since start, per reason. */
    public Map<ConnectionRefusal, Long> connectionRefusals() {
        Map<ConnectionRefusal, Long> counts = new java.util.EnumMap<>(ConnectionRefusal.class);
        refusals.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    private void refuse(SimpleAuthOutput output, ConnectionRefusal reason, String deviceId, SimpleAuthInput input) {
        refusals.get(reason).increment();
        // The device id from the certificate and the peer address: no patient data, enough to find the device.
        LOG.warn("Refused an MQTT connection: {} (device {}, from {})", reason, deviceId,
                input.getConnectionInformation().getInetAddress().map(Object::toString).orElse("unknown address"));
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, switch (reason) {
            case NO_CLIENT_CERTIFICATE, NOT_A_CARDIOWATCH_CERTIFICATE -> "a CardioWatch client certificate is required";
            case DEVICE_NOT_ENROLLED_OR_REVOKED -> "device is not enrolled or is revoked";
        });
    }

    private void stampIdentity(PublishInboundInput input, PublishInboundOutput output) {
        var properties = output.getPublishPacket().getUserProperties();
        // A device cannot claim an identity: only the broker writes this property.
        properties.removeName(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY);
        String deviceId = deviceOfClient.get(input.getClientInformation().getClientId());
        if (deviceId != null) {
            properties.addUserProperty(DeviceTopic.CERTIFIED_IDENTITY_PROPERTY, deviceId);
        }
    }

    record Identity(String name, ClientKind kind) {
    }

    static Optional<Identity> identityOf(X509Certificate certificate) {
        try {
            String name = null;
            ClientKind kind = null;
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("OU")) {
                    for (ClientKind candidate : ClientKind.values()) {
                        if (candidate.unit().equals(rdn.getValue().toString())) {
                            kind = candidate;
                        }
                    }
                }
            }
            return name == null || kind == null || !DeviceTopic.isValidDeviceId(name)
                    ? Optional.empty() : Optional.of(new Identity(name, kind));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
