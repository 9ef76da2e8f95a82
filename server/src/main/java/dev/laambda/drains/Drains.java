package dev.laambda.drains;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.logs.AppLog;
import dev.laambda.release.Apps;
import dev.laambda.store.App;
import dev.laambda.store.Drain;
import dev.laambda.store.DrainRepository;
import dev.laambda.store.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * An app's log drains (`laambda drains`, drains:add, drains:remove): each URL checked when added — its form, and
 * that its host is an address drains may reach (DrainEgress) — and each change a laambda[api] line in the app's
 * stream. Whoever may read the app's logs may drain them.
 */
public final class Drains {

    /** Drains per app: each is a connection and a thread on some server. */
    public static final int MAX_PER_APP = 10;

    private static final Logger log = LoggerFactory.getLogger(Drains.class);

    private final Apps apps;
    private final DrainRepository drains;
    private final DrainEgress egress;
    private final DrainForwarding forwarding;
    private final AppLog appLog;

    public Drains(Apps apps, DrainRepository drains, DrainEgress egress, DrainForwarding forwarding, AppLog appLog) {
        this.apps = apps;
        this.drains = drains;
        this.egress = egress;
        this.forwarding = forwarding;
        this.appLog = appLog;
    }

    public List<Drain> list(User user, String appName) {
        return drains.list(apps.get(user, appName).id());
    }

    /** Adds a drain; it gets the lines stored from now on (its own "added" line first). */
    public Drain add(User user, String appName, String url) {
        App app = apps.get(user, appName);
        DrainUrl parsed = DrainUrl.parse(url);
        egress.addresses(parsed);
        if (drains.count(app.id()) >= MAX_PER_APP) {
            throw LaambdaException.invalid("too_many_drains", "App '" + app.name() + "' has " + MAX_PER_APP
                    + " drains, the most it may have: remove one with `laambda drains:remove`.");
        }
        Drain drain = drains.add(app.id(), parsed.text()).orElseThrow(() -> LaambdaException.invalid("drain_exists",
                "App '" + app.name() + "' already drains to " + parsed.shown() + ": see `laambda drains`."));
        appLog.api(app.id(), "Drain " + drain.id() + " (" + parsed.shown() + ") added by " + user.email());
        log.info("event=drain_added app={} drain_id={} kind={}", app.name(), drain.id(), parsed.kind().scheme());
        forwarding.refresh();
        return drain;
    }

    /** Removes a drain by its id or its URL; its forwarder stops before this returns when it runs on this server. */
    public Drain remove(User user, String appName, String idOrUrl) {
        App app = apps.get(user, appName);
        long id = drains.list(app.id()).stream()
                .filter(drain -> drain.url().equals(idOrUrl.strip()) || Long.toString(drain.id()).equals(idOrUrl.strip()))
                .mapToLong(Drain::id).findFirst()
                .orElseThrow(() -> notFound(app, idOrUrl));
        Drain removed = drains.remove(app.id(), id).orElseThrow(() -> notFound(app, idOrUrl));
        forwarding.removed(removed.id());
        appLog.api(app.id(), "Drain " + removed.id() + " (" + shown(removed) + ") removed by "
                + user.email());
        log.info("event=drain_removed app={} drain_id={}", app.name(), removed.id());
        return removed;
    }

    /** The URL as lists show it: what may be a secret in it left out. */
    public static String shown(Drain drain) {
        try {
            return DrainUrl.parse(drain.url()).shown();
        } catch (LaambdaException unreadable) {
            return "(unreadable)";
        }
    }

    private static LaambdaException notFound(App app, String idOrUrl) {
        return LaambdaException.notFound("drain_not_found", "App '" + app.name() + "' has no drain '"
                + Echo.of(idOrUrl) + "': see `laambda drains` for its drains.");
    }
}
