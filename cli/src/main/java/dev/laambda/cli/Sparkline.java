package dev.laambda.cli;

import java.util.List;

/** A series as one line of block characters (▁▂▃▄▅▆▇█), scaled to its own maximum; a missing value is a space. */
final class Sparkline {

    private static final char[] BLOCKS = "▁▂▃▄▅▆▇█".toCharArray();

    private Sparkline() {
    }

    /**
     * One character per value: zero is the lowest block, the maximum the highest, and any value above zero at
     * least the second, so a single invocation in a quiet hour still shows.
     */
    static String of(List<Double> values) {
        double max = values.stream().filter(value -> value != null).mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder(values.size());
        for (Double value : values) {
            if (value == null) {
                line.append(' ');
            } else if (value <= 0 || max <= 0) {
                line.append(BLOCKS[0]);
            } else {
                int level = (int) Math.round(value / max * (BLOCKS.length - 1));
                line.append(BLOCKS[Math.max(1, Math.min(BLOCKS.length - 1, level))]);
            }
        }
        return line.toString();
    }
}
