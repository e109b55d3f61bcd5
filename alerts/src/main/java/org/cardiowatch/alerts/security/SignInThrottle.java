package org.cardiowatch.alerts.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Slows password guessing down, decided before the password hash is computed (each check costs a
 * PBKDF2 of 210,000 iterations: unthrottled, a few guesses a second take the CPU of the service
 * that delivers alarms). Three counters, all of failures only:
 * <ul>
 * <li><b>account and address</b>: after {@link Limits#freeFailures} failures in a row, each
 * further one locks that account from that address, 30 s, then twice as long each time, up to
 * {@link Limits#longestLock};</li>
 * <li><b>account, from anywhere</b>: after {@link Limits#accountFailures} failures in a row from
 * any addresses (a guesser with many addresses), the account is locked for
 * {@link Limits#longestLock} <i>for addresses it has never signed in from</i>: the clinician's own
 * workstation, where they signed in before, keeps working, so an attacker elsewhere cannot lock
 * them out; a new address waits at most that long;</li>
 * <li><b>address, any account</b>: more than {@link Limits#addressFailures} failures from one address
 * within {@link Limits#longestLock} (one address trying many accounts) lock that address out for
 * {@link Limits#longestLock}, for the accounts that never signed in from it: clinicians behind one
 * hospital address (a NAT, a proxy that does not pass the client's address on) keep working.</li>
 * </ul>
 * A successful sign-in clears the account's counters. An unknown account is counted like a real
 * one, so the answers do not tell which exist. Memory is bounded: entries idle for a day are
 * dropped, and at most {@link Limits#maxEntries} of each counter are kept (the oldest go first).
 */
public final class SignInThrottle {

    /** The throttle's settings. */
    public record Limits(int freeFailures, Duration firstLock, Duration longestLock, int accountFailures,
            int addressFailures, int knownAddressesPerAccount, int maxEntries) {

        public static final Limits DEFAULT = new Limits(5, Duration.ofSeconds(30), Duration.ofMinutes(15), 20, 50, 10,
                100_000);
    }

    /** What a failure or a refusal did, for the audit trail and the answer. */
    public record Lock(String scope, Duration retryAfter) {
    }

    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private static final class Streak {
        int failures;
        Instant lockedUntil = Instant.MIN;
        Instant lastSeen;
    }

    private final Limits limits;
    private final Clock clock;
    private final Map<String, Streak> pairs = lru();
    private final Map<String, Streak> accounts = lru();
    private final Map<String, Deque<Instant>> addresses = lru();
    private final Map<String, Instant> addressLockedUntil = lru();
    private final Map<String, Set<String>> knownAddresses = lru();

    public SignInThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether an attempt may go on to the password check; the lock that stops it otherwise. */
    public synchronized Optional<Lock> refusal(String account, String address) {
        Instant now = clock.instant();
        Instant addressLock = addressLockedUntil.getOrDefault(address, Instant.MIN);
        if (addressLock.isAfter(now) && !isKnown(account, address)) {
            return Optional.of(new Lock("address", Duration.between(now, addressLock)));
        }
        Streak pair = pairs.get(pairKey(account, address));
        if (pair != null && pair.lockedUntil.isAfter(now)) {
            return Optional.of(new Lock("account-and-address", Duration.between(now, pair.lockedUntil)));
        }
        Streak whole = accounts.get(account);
        if (whole != null && whole.lockedUntil.isAfter(now) && !isKnown(account, address)) {
            return Optional.of(new Lock("account-from-new-addresses", Duration.between(now, whole.lockedUntil)));
        }
        return Optional.empty();
    }

    /** A wrong password or unknown account; returns the lock it starts, if any. */
    public synchronized Optional<Lock> failed(String account, String address) {
        Instant now = clock.instant();
        prune(now);
        Optional<Lock> started = Optional.empty();

        Streak pair = pairs.computeIfAbsent(pairKey(account, address), key -> new Streak());
        pair.failures++;
        pair.lastSeen = now;
        if (pair.failures > limits.freeFailures()) {
            Duration lock = growing(pair.failures - limits.freeFailures());
            pair.lockedUntil = now.plus(lock);
            started = Optional.of(new Lock("account-and-address", lock));
        }

        Streak whole = accounts.computeIfAbsent(account, key -> new Streak());
        whole.failures++;
        whole.lastSeen = now;
        if (whole.failures >= limits.accountFailures()) {
            whole.lockedUntil = now.plus(limits.longestLock());
            started = Optional.of(new Lock("account-from-new-addresses", limits.longestLock()));
        }

        Deque<Instant> recent = addresses.computeIfAbsent(address, key -> new ArrayDeque<>());
        recent.addLast(now);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(limits.longestLock()))) {
            recent.removeFirst();
        }
        if (recent.size() > limits.addressFailures()) {
            addressLockedUntil.put(address, now.plus(limits.longestLock()));
            recent.clear();
            started = Optional.of(new Lock("address", limits.longestLock()));
        }
        return started;
    }

    /** A successful sign-in: the account's counters start again, and the address is one of its own. */
    public synchronized void succeeded(String account, String address) {
        pairs.remove(pairKey(account, address));
        accounts.remove(account);
        Set<String> known = knownAddresses.computeIfAbsent(account, key -> new LinkedHashSet<>());
        known.remove(address);
        known.add(address);
        if (known.size() > limits.knownAddressesPerAccount()) {
            known.remove(known.iterator().next());
        }
    }

    private boolean isKnown(String account, String address) {
        Set<String> known = knownAddresses.get(account);
        return known != null && known.contains(address);
    }

    /** The first lock, then twice as long each time, up to the longest. */
    private Duration growing(int lockNumber) {
        Duration lock = limits.firstLock();
        for (int i = 1; i < lockNumber && lock.compareTo(limits.longestLock()) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(limits.longestLock()) > 0 ? limits.longestLock() : lock;
    }

    private void prune(Instant now) {
        Instant before = now.minus(FORGET_AFTER);
        pairs.values().removeIf(streak -> streak.lastSeen.isBefore(before) && !streak.lockedUntil.isAfter(now));
        accounts.values().removeIf(streak -> streak.lastSeen.isBefore(before) && !streak.lockedUntil.isAfter(now));
        addressLockedUntil.values().removeIf(until -> !until.isAfter(now));
        addresses.values().removeIf(Deque::isEmpty);
    }

    private static String pairKey(String account, String address) {
        return account + "\u0000" + address;
    }

    /** A map that drops its eldest entry beyond the limit: an attacker's many names cannot fill the heap. */
    private <V> Map<String, V> lru() {
        return new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > limits.maxEntries();
            }
        };
    }
}
