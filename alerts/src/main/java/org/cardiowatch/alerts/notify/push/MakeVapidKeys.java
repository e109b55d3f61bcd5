package org.cardiowatch.alerts.notify.push;

import org.cardiowatch.schemas.wire.P256Keys;

/**
 * {@code ./cardiowatch vapid-keys}: a new VAPID key pair for Web Push, as the two settings the
 * alerts service reads, on standard output (for a secret manager); a reminder on standard error.
 */
public final class MakeVapidKeys {

    private MakeVapidKeys() {
    }

    public static void main(String[] arguments) {
        P256Keys.Encoded keys = P256Keys.newKeyPair();
        System.out.println("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_PUBLIC_KEY=" + keys.publicKey());
        System.out.println("CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_PRIVATE_KEY=" + keys.privateKey());
        System.err.println("Keep the private key as a secret, and keep the pair: a new pair orphans every browser's"
                + " subscription (each clinician would have to choose \"Notify me on this device\" again).");
    }
}
