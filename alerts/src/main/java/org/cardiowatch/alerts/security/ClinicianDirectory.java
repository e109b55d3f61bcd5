package org.cardiowatch.alerts.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local user accounts, read from a users file with one line per user:
 * {@code username:role:pbkdf2-sha256$...} ({@code #} starts a comment). The local stack writes
 * this file with the demo accounts; a hospital uses OpenID Connect instead.
 */
public final class ClinicianDirectory {

    /** One account. */
    public record Account(String username, Role role, String passwordHash) {
    }

    private final Map<String, Account> accounts;

    private ClinicianDirectory(Map<String, Account> accounts) {
        this.accounts = Map.copyOf(accounts);
    }

    public static ClinicianDirectory of(List<Account> accounts) {
        Map<String, Account> byName = new HashMap<>();
        accounts.forEach(account -> byName.put(account.username(), account));
        return new ClinicianDirectory(byName);
    }

    /** @throws IllegalArgumentException naming the line that is malformed */
    public static ClinicianDirectory load(Path usersFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read users file " + usersFile, e);
        }
        Map<String, Account> byName = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", 3);
            if (fields.length != 3 || fields[0].isBlank()) {
                throw new IllegalArgumentException(usersFile + " line " + (i + 1)
                        + ": expected username:role:password-hash");
            }
            byName.put(fields[0], new Account(fields[0], Role.parse(fields[1]), fields[2]));
        }
        return new ClinicianDirectory(byName);
    }

    public Optional<Account> find(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    /** The account when the password matches; empty for an unknown user or a wrong password alike. */
    public Optional<Account> authenticate(String username, char[] password) {
        Optional<Account> account = find(username);
        if (account.isEmpty()) {
            // Spend the same time as for a real account, so timing does not reveal who exists.
            PasswordHasher.matches(password, DUMMY_HASH);
            return Optional.empty();
        }
        return PasswordHasher.matches(password, account.get().passwordHash()) ? account : Optional.empty();
    }

    private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password".toCharArray());
}
