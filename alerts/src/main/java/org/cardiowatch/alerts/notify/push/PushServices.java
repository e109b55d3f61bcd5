package org.cardiowatch.alerts.notify.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The push services a subscription's endpoint may point at. The endpoint comes from the browser,
 * so from whoever is signed in: without this list a clinician's account could make the alerts
 * service send requests to any address of the hospital's network (server-side request forgery).
 * Each entry is an origin ({@code https://fcm.googleapis.com}) or an origin with a wildcard for the
 * first labels of the host ({@code https://*.notify.windows.com}).
 */
public final class PushServices {

    /** The push services of Chrome, Edge, Firefox and Safari, as of 2026. */
    public static final List<String> BROWSERS = List.of("https://fcm.googleapis.com",
            "https://updates.push.services.mozilla.com", "https://web.push.apple.com", "https://*.notify.windows.com");
    static final int MAX_ENDPOINT_LENGTH = 2048;

    private final List<Origin> allowed;

    public PushServices(List<String> allowed) {
        this.allowed = allowed.stream().map(PushServices::origin).toList();
    }

    /** The endpoint, if it is an absolute URL of an allowed push service; otherwise the reason it is refused. */
    public URI check(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint is required");
        }
        if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
            throw new IllegalArgumentException("endpoint is longer than " + MAX_ENDPOINT_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint is not a URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("endpoint is not an absolute URL of a push service");
        }
        if (allowed.stream().noneMatch(origin -> origin.matches(uri))) {
            throw new IllegalArgumentException("endpoint is not at a push service this hospital allows"
                    + " (cardiowatch.alerts.notifications.push.services)");
        }
        return uri;
    }

    /** An allowed origin: scheme, host (or {@code .suffix} for a wildcard) and port. */
    private record Origin(String scheme, String host, boolean wildcard, int port) {

        boolean matches(URI endpoint) {
            if (!scheme.equalsIgnoreCase(endpoint.getScheme()) || port != PushServices.port(endpoint)) {
                return false;
            }
            String endpointHost = endpoint.getHost().toLowerCase(Locale.ROOT);
            return wildcard ? endpointHost.endsWith(host) : endpointHost.equals(host);
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Origin origin(String text) {
        // "*" is not a host character for java.net.URI: read the wildcard apart.
        boolean wildcard = text.contains("://*.");
        URI uri;
        try {
            uri = new URI(wildcard ? text.replace("://*.", "://wildcard.") : text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("cardiowatch.alerts.notifications.push.services: '" + text
                    + "' is not an origin (https://host[:port])");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return new Origin(uri.getScheme(), wildcard ? host.substring("wildcard".length()) : host, wildcard, port(uri));
    }
}
