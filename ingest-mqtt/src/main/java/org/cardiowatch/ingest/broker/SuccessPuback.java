package org.cardiowatch.ingest.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.ModifiablePublishPacket;
import java.nio.ByteBuffer;

/**
 * How the ingest tells a device its message is stored: the publish goes on, emptied, to a broker
 * on which no client may subscribe ({@code DeviceAccessExtension}), and the broker answers it as
 * any publish no one subscribes to, with the MQTT 5 success code 0x10 No matching subscribers.
 *
 * <p>Why not simply prevent its delivery, as refusals do: HiveMQ CE (2025.5, still so in 2026.5)
 * remembers each QoS 1 packet id a client sends until the PUBACK passes its publish flow handler,
 * and the PUBACK of a publish whose delivery an extension prevented is written past that handler.
 * Every success would then leave an entry behind (about 56 bytes, up to 65,535 per connection):
 * the ingest's heap filled within a quarter of an hour of the soak and it stopped answering
 * devices. Refusals are rare and keep the prevented path, which alone carries a failure reason
 * code and string.
 */
public final class SuccessPuback {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private SuccessPuback() {
    }

    /** Lets the publish go on with nothing of the device's in it: no payload, no user properties, not retained. */
    public static void answer(PublishInboundOutput output) {
        ModifiablePublishPacket packet = output.getPublishPacket();
        packet.setPayload(NOTHING.duplicate());
        packet.getUserProperties().clear();
        packet.setRetain(false);
    }
}
