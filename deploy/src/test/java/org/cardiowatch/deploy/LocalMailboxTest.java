package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's mail server takes no message before STARTTLS, as the alerts service requires it. */
class LocalMailboxTest {

    @TempDir
    Path home;

    @Test
    void shouldRefuseAMessageBeforeStartTlsAndOfferIt() throws Exception {
        char[] password = "test-store-password".toCharArray();
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(home.resolve("ca"), password);
        try (LocalMailbox mailbox = new LocalMailbox(ca.serverKeyStore("mail"), password, home.resolve("mail"));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), mailbox.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine(), startsWith("220 "));
            send(out, "EHLO test");
            assertThat(in.readLine(), equalTo("250-cardiowatch-local-mailbox"));
            assertThat(in.readLine(), equalTo("250-STARTTLS"));
            assertThat(in.readLine(), equalTo("250 8BITMIME"));
            send(out, "MAIL FROM:<someone@example.test>");
            assertThat(in.readLine(), startsWith("530 "));
            send(out, "RCPT TO:<cardio1@cardiowatch.local>");
            assertThat(in.readLine(), startsWith("503 "));
            send(out, "QUIT");
            assertThat(in.readLine(), startsWith("221 "));
            assertThat(mailbox.received().size(), equalTo(0));
        }
    }

    private static void send(OutputStream out, String line) throws java.io.IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
