package dev.laambda.bucket;

/**
 * What each app keeps in the shared bucket, under apps/ID/ (its id, never its name: ids are never reused, so an
 * app made later under a destroyed app's name starts with nothing): its build caches, one per buildpack, and a git
 * bundle of its repository. Artifacts are shared between apps by content and live apart, under artifacts/.
 */
public final class AppObjects {

    private AppObjects() {
    }

    /** Everything of the app's: what apps:destroy deletes. */
    public static String all(long appId) {
        return "apps/" + appId + "/";
    }

    /** The app's build caches, every buildpack's: what clearing the build cache deletes. */
    public static String caches(long appId) {
        return all(appId) + "cache/";
    }

    /** One buildpack's cache directory as a tar.gz. */
    public static String cache(long appId, String buildpack) {
        return caches(appId) + buildpack + ".tar.gz";
    }

    /** A git bundle of every branch and tag of the app's repository, as of its last accepted push. */
    public static String bundle(long appId) {
        return all(appId) + "repo.bundle";
    }
}
