package dev.laambda.platform;

/**
 * A rollout that {@link FunctionPlatform#prepare} made ready, and what the two steps after it do on that
 * platform. The caller (release/GoingLive) holds the app's release lock from prepare to the switch and runs
 * {@link #finish} after it, outside the lock.
 */
public interface PreparedRollout {

    /**
     * Step 2, the platform's half of the switch, run just before the release is committed as the app's current
     * one (AWS: move each function's {@code live} alias). When it fails part way, it moves back what it moved
     * before it throws, so the previous release stays live.
     */
    void switchLive();

    /** Undoes {@link #switchLive}: the commit after it failed, and the previous release must stay live. */
    void switchBack();

    /**
     * Step 3, after the commit: work whose failure must not fail the release (retire the old release's instances,
     * delete the functions of removed entries). It may throw; the caller logs that and runs it again later, so it
     * must be safe to repeat.
     */
    void finish();
}
