package org.cardiowatch.alerts.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the alerts service; see application.properties for the environment variables. */
@ConfigMapping(prefix = "cardiowatch.alerts")
public interface AlertsConfig {

    Kafka kafka();

    /** The local accounts file (username:role:pbkdf2-hash per line); no local sign-in without it. */
    Optional<Path> usersFile();

    Escalation escalation();

    Dashboard dashboard();

    Audit audit();

    DeviceCa deviceCa();

    DeviceKeys deviceKeys();

    History history();

    FhirPush fhirPush();

    Notifications notifications();

    Display display();

    SignIn signIn();

    Session session();

    /** Browser sessions (BrowserSessions); the idle timeout is quarkus.http.auth.form.timeout. */
    interface Session {
        /** A session ends this long after its sign-in, however active. */
        @WithDefault("PT12H")
        Duration absoluteTimeout();
    }

    /** How failed sign-ins are throttled (SignInThrottle), before the password hash is computed. */
    interface SignIn {
        /** Failures in a row of one account from one address before the first lock. */
        @WithDefault("5")
        int freeFailures();

        /** The first lock of an account from an address; each next one twice as long. */
        @WithDefault("PT30S")
        Duration firstLock();

        /** The longest lock, and how long an account or an address is locked as a whole. */
        @WithDefault("PT15M")
        Duration longestLock();

        /** Failures in a row of one account from any addresses before it is locked for new addresses. */
        @WithDefault("20")
        int accountFailures();

        /** Failures from one address, any accounts, within the longest lock before the address is locked. */
        @WithDefault("50")
        int addressFailures();
    }

    /** The push of new alerts, clinicians' actions and per-minute vitals to a hospital's FHIR R4 server. */
    interface FhirPush {
        /** The server's base URL, such as {@code https://fhir.example.org/fhir}; without it the push is off. */
        Optional<java.net.URI> url();

        /** A bearer token for the server, when it asks for one. */
        Optional<String> token();

        @WithDefault("PT10S")
        Duration timeout();

        @WithDefault("PT5S")
        Duration retryPause();

        /**
         * After an erasure the history is erased a second time this much later, to remove what
         * another instance's history writer was writing as the erasure happened.
         */
        @WithDefault("PT30S")
        Duration eraseAgainAfter();
    }

    /** How the pages show what they show. */
    interface Display {
        /** The hospital's time zone (IANA id): every time on the pages is shown in it, with its date. */
        @WithDefault("Europe/Paris")
        String timeZone();
    }

    /**
     * Notifications of alerts to clinicians outside the dashboard (the notify package): a signed
     * webhook to the hospital's paging system, e-mail; without either, notifications are off.
     */
    interface Notifications {
        Email email();

        Push push();

        /** The hospital's paging or secure-messaging endpoint that takes the signed JSON notifications. */
        Optional<java.net.URI> webhookUrl();

        /** The shared secret of the HMAC-SHA256 signature, 32 characters or more; required with the URL. */
        Optional<String> webhookSecret();

        @WithDefault("PT5S")
        Duration webhookTimeout();

        /** The first pause before sending again what the channel could not take; doubled each time, up to 5 minutes. */
        @WithDefault("PT5S")
        Duration retryPause();

        /**
         * After a notification to a clinician about a patient on a channel, their next warning or
         * technical ones about that patient on that channel wait this long and go as one message
         * (alarm fatigue); a critical one never waits. PT0S: only what is due at once is grouped.
         */
        @WithDefault("PT1M")
        Duration groupWindow();

        /** How often alerts are checked for notifications due. */
        @WithDefault("PT1S")
        Duration checkInterval();

        /** The dashboard's address as clinicians reach it: the link in a notification starts with it. */
        @WithDefault("https://localhost:8443")
        java.net.URI publicUrl();
    }

    /** E-mail through the SMTP server of quarkus.mailer.* (STARTTLS required), to the clinicians with an address. */
    interface Email {
        /** Whether clinicians with an address are told by e-mail too. */
        @WithDefault("false")
        boolean enabled();

        /** Each clinician's address, by user name: {@code cardiowatch.alerts.notifications.email.addresses."cardio1"=...}. */
        Map<String, String> addresses();
    }

    /** Web Push (RFC 8030, 8291, 8292) to the browsers and phones where clinicians asked for it. */
    interface Push {
        /** Whether clinicians may ask to be notified on their browsers and phones; needs the key pair. */
        @WithDefault("false")
        boolean enabled();

        /** The VAPID public key, base64url uncompressed P-256 point ({@code ./cardiowatch vapid-keys} makes a pair). */
        Optional<String> publicKey();

        /** The VAPID private key, base64url 32 bytes; a secret. A new pair orphans every subscription. */
        Optional<String> privateKey();

        /** A contact for the push services' operators ({@code mailto:} or {@code https:}); the public URL when unset. */
        Optional<String> subject();

        /** The push services an endpoint may point at (origins, {@code *.} for any first labels of the host). */
        @WithDefault("https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://web.push.apple.com,https://*.notify.windows.com")
        List<String> services();

        /** How long a push service keeps a message for a device that is offline. */
        @WithDefault("PT1H")
        Duration timeToLive();

        @WithDefault("PT5S")
        Duration timeout();
    }

    /** The history store (InfluxDB); without a URL history is off. */
    interface History {
        /** {@code http://host:8086}; InfluxDB 1.x, or 2.x/3.x through their 1.x API. */
        Optional<String> url();

        @WithDefault("cardiowatch")
        String database();

        /** For an InfluxDB with authentication on (production); both or neither. */
        Optional<String> username();

        Optional<String> password();

        /** How long raw readings are kept (InfluxQL duration). */
        @WithDefault("30d")
        String rawRetention();

        /** How long minute aggregates are kept. */
        @WithDefault("400d")
        String minuteRetention();

        @WithDefault("PT5S")
        Duration retryPause();

        /**
         * After an erasure the history is erased a second time this much later, to remove what
         * another instance's history writer was writing as the erasure happened.
         */
        @WithDefault("PT30S")
        Duration eraseAgainAfter();
    }

    interface DeviceKeys {
        /** Base64 of the 32-byte key that encrypts payload keys in cw.devices (same as the ingest's). */
        Optional<String> masterKey();

        /**
         * Whether the service may start without a master key, keeping payload keys in cw.devices in
         * the clear: for tests only (the local stack sets a key). Without it the service refuses to start.
         */
        @WithDefault("false")
        boolean allowClear();
    }

    /** The certificate authority that issues device certificates at enrolment (the one the MQTT broker trusts). */
    interface DeviceCa {
        /** Folder holding {@code ca.p12}; without it enrolment issues no certificate. */
        Optional<Path> folder();

        Optional<String> password();
    }

    interface Audit {
        /** This instance's audit chain: stable and distinct per instance, like a database's node id. */
        @WithDefault("alerts-1")
        String chainId();

        /** How long a request waits for its audit event to be stored before it fails (503). */
        @WithDefault("PT10S")
        Duration writeTimeout();

        /** How many requests' events may wait to be written before requests are refused at once. */
        @WithDefault("10000")
        int queueCapacity();
    }

    interface Kafka {
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Extra Kafka client settings (security.protocol, sasl.*, ssl.*) passed as they are. */
        Map<String, String> client();

        /** PKCS12 truststore with the Kafka cluster's certificate authority; with it the service speaks TLS to Kafka. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** PKCS12 keystore with the service's Kafka client certificate (Strimzi: the KafkaUser's user.p12). */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();
    }

    interface Escalation {
        /** How long an open alert may stay unacknowledged before it goes to the backup physician. */
        @WithDefault("PT5M")
        Duration timeout();

        @WithDefault("PT5S")
        Duration checkInterval();
    }

    interface Dashboard {
        /** Readings kept in memory per patient for the recent-vitals view. */
        @WithDefault("300")
        int recentReadingsPerPatient();

        /** How far back recent vitals are read at start, and how long a reading stays in memory. */
        @WithDefault("PT30M")
        Duration recentWindow();

        /** How long resolved alerts stay on the board. */
        @WithDefault("PT24H")
        Duration keepResolved();
    }
}
