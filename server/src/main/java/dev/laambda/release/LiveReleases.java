package dev.laambda.release;

import dev.laambda.store.App;
import dev.laambda.store.AppRepository;
import dev.laambda.store.ChannelListener;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What this server keeps in memory for the invoke path: apps by name, and each app's live release with its
 * config decrypted, so a warm invocation reads nothing from PostgreSQL. It is kept current across servers:
 * <ul>
 *   <li>any change to an app's row (a new live release, a rollback, a destroy) notifies every server on the
 *       database at commit (the trigger of migration V9, channel {@value #CHANNEL}), and each drops that app;</li>
 *   <li>the server that made the change drops it itself as it commits ({@link #forget}), so its own next request
 *       never races the notification;</li>
 *   <li>nothing is kept while the listening connection is down, and all is dropped when it comes back;</li>
 *   <li>every entry expires after {@link #TTL} regardless: the backstop the README states as the bound.</li>
 * </ul>
 * Tokens and collaborators are not kept here: every API request reads them, so a revoke is honoured at once.
 */
public final class LiveReleases implements ChannelListener.Handler {

    /** The NOTIFY channel of migration V9; the payload is an app id. */
    public static final String CHANNEL = "laambda_app_changed";
    /** How long an entry is used at most, whatever the notifications say. */
    public static final Duration TTL = Duration.ofSeconds(5);
    /** More entries than this and all are dropped: a bound on memory, never on correctness. */
    static final int MAX_ENTRIES = 10_000;

    /** An app's live release and the config it runs with; {@code release} is empty before the first one. */
    public record Live(Optional<Release> release, ConfigVars config) {
    }

    private record Kept<T>(T value, long keptAtNanos) {
    }

    private static final Logger log = LoggerFactory.getLogger(LiveReleases.class);

    private final AppRepository apps;
    private final ReleaseRepository releases;
    private final ConfigCipher cipher;
    private final LongSupplier nanoClock;
    private final Map<String, Kept<App>> appsByName = new ConcurrentHashMap<>();
    private final Map<Long, Kept<Live>> liveByApp = new ConcurrentHashMap<>();
    /** Moves on every drop: a value read before a drop is not kept after it (it may be what was dropped). */
    private final AtomicLong drops = new AtomicLong();
    private volatile boolean listening;

    public LiveReleases(AppRepository apps, ReleaseRepository releases, ConfigCipher cipher, LongSupplier nanoClock) {
        this.apps = apps;
        this.releases = releases;
        this.cipher = cipher;
        this.nanoClock = nanoClock;
    }

    /** The app named {@code name}, if there is one (an app that does not exist is looked up every time). */
    public Optional<App> app(String name) {
        Kept<App> kept = appsByName.get(name);
        if (fresh(kept)) {
            return Optional.of(kept.value());
        }
        return load(() -> apps.findByName(name), app -> appsByName.put(name, kept(app)));
    }

    /** The app's live release and its config. */
    public Live live(App app) {
        Kept<Live> kept = liveByApp.get(app.id());
        if (fresh(kept)) {
            return kept.value();
        }
        return load(() -> Optional.of(read(app.id())), live -> liveByApp.put(app.id(), kept(live))).orElseThrow();
    }

    /** Drops what is kept of the app: called by the server that changed it, as the change commits. */
    public synchronized void forget(long appId) {
        drops.incrementAndGet();
        liveByApp.remove(appId);
        appsByName.values().removeIf(kept -> kept.value().id() == appId);
    }

    @Override
    public void connected() {
        forgetAll();
        listening = true;
    }

    @Override
    public void notified(String payload) {
        try {
            forget(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            log.warn("event=app_change_bad_notification payload_length={}", payload.length());
            forgetAll();
        }
    }

    @Override
    public void disconnected() {
        listening = false;
        forgetAll();
    }

    private synchronized void forgetAll() {
        drops.incrementAndGet();
        liveByApp.clear();
        appsByName.clear();
    }

    private Live read(long appId) {
        Optional<Release> release = releases.current(appId);
        return new Live(release, release.map(r -> cipher.decrypt(r.configCiphertext(), r.configKeyId()))
                .orElse(ConfigVars.empty()));
    }

    /** Reads; keeps what was read only if nothing was dropped meanwhile and changes are being heard of. */
    private <T> Optional<T> load(Supplier<Optional<T>> read, java.util.function.Consumer<T> keep) {
        long dropsBefore = drops.get();
        Optional<T> value = read.get();
        value.ifPresent(found -> keepUnlessDropped(dropsBefore, () -> keep.accept(found)));
        return value;
    }

    private synchronized void keepUnlessDropped(long dropsBefore, Runnable keep) {
        if (!listening || drops.get() != dropsBefore) {
            return;
        }
        if (liveByApp.size() + appsByName.size() >= MAX_ENTRIES) {
            forgetAll();
        }
        keep.run();
    }

    private <T> Kept<T> kept(T value) {
        return new Kept<>(value, nanoClock.getAsLong());
    }

    private boolean fresh(Kept<?> kept) {
        return kept != null && listening && nanoClock.getAsLong() - kept.keptAtNanos() < TTL.toNanos();
    }
}
