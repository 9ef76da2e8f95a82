package dev.laambda.build;

import java.time.Duration;
import java.util.List;

/**
 * How long a build may run (LAAMBDA_BUILD_TIMEOUT) and how much disk its files may take
 * (LAAMBDA_BUILD_DISK: the build directory, the app's build cache and the build's scratch space together).
 */
public record BuildLimits(Duration time, long diskBytes) {

    public BuildLimits {
        if (time.isNegative() || time.isZero() || diskBytes <= 0) {
            throw new IllegalArgumentException("Build limits must be positive: " + time + ", " + diskBytes + " bytes");
        }
    }

    public String describeTime() {
        long seconds = time.toSeconds();
        return seconds >= 60 && seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
    }

    public String describeDisk() {
        return describeBytes(diskBytes);
    }

    /** 4 GB, 512 MB, 100 KB: the largest unit that divides the amount, as the setting is written. */
    static String describeBytes(long bytes) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        int unit = 0;
        long amount = bytes;
        while (unit < units.length - 1 && amount % 1024 == 0 && amount > 0) {
            amount /= 1024;
            unit++;
        }
        return amount + " " + units[unit];
    }

    BuildFailedException timedOut(Buildpack buildpack, List<String> lastLines) {
        return new BuildFailedException("Build timed out after " + describeTime() + ": " + buildpack.name()
                + " bin/compile was stopped (LAAMBDA_BUILD_TIMEOUT).", lastLines);
    }

    BuildFailedException diskFull(Buildpack buildpack, List<String> lastLines) {
        return new BuildFailedException("Build used more than " + describeDisk() + " of disk: " + buildpack.name()
                + " bin/compile was stopped (LAAMBDA_BUILD_DISK; `laambda builds:cache:clear` empties the app's build cache).",
                lastLines);
    }
}
