package dev.laambda.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus's text exposition format (0.0.4): every line is a HELP, a TYPE or a sample; every
 * sample belongs to a family whose TYPE came before it, with only the suffixes that type allows; label values are
 * quoted with only \\, \" and \n escaped; values are floats, NaN or ±Inf. Anything else throws, naming the line.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("", "_created"),
            "gauge", List.of(""),
            "untyped", List.of(""),
            "summary", List.of("", "_count", "_sum", "_created"),
            "histogram", List.of("_bucket", "_count", "_sum", "_created"));

    private PrometheusText() {
    }

    /** Every sample as "name{label="value",…}" (labels sorted; just "name" without labels) → value. */
    static Map<String, Double> parse(String text) {
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        for (int number = 1; number < lines.length; number++) {
            String line = lines[number - 1];
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                require(HELP.matcher(line).matches(), number, line);
            } else if (line.startsWith("# TYPE ")) {
                Matcher type = TYPE.matcher(line);
                require(type.matches(), number, line);
                require(types.put(type.group(1), type.group(2)) == null, number, "second TYPE for " + line);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                Matcher sample = SAMPLE.matcher(line);
                require(sample.matches(), number, line);
                require(familyOf(sample.group(1), types) != null, number, "sample without a TYPE before it: " + line);
                Map<String, String> labels = labels(sample.group(3) == null ? "" : sample.group(3), number, line);
                String key = sample.group(1) + (labels.isEmpty() ? "" : labels.entrySet().stream()
                        .map(label -> label.getKey() + "=\"" + label.getValue() + "\"")
                        .collect(java.util.stream.Collectors.joining(",", "{", "}")));
                require(samples.put(key, value(sample.group(4), number, line)) == null, number, "duplicate sample " + line);
            }
        }
        return samples;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        for (Map.Entry<String, String> family : types.entrySet()) {
            for (String suffix : SUFFIXES.get(family.getValue())) {
                if (sample.equals(family.getKey() + suffix)) {
                    return family.getKey();
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int number, String line) {
        Map<String, String> labels = new TreeMap<>();
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            require(label.find(at) && label.start() == at, number, "bad labels in " + line);
            require(labels.put(label.group(1), label.group(2)) == null, number, "repeated label in " + line);
            at = label.end();
        }
        return labels;
    }

    private static double value(String text, int number, String line) {
        if (Set.of("NaN", "+Inf", "-Inf").contains(text)) {
            return text.equals("NaN") ? Double.NaN : text.startsWith("+") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + number + ": value is not a number: " + line);
        }
    }

    private static void require(boolean ok, int number, String what) {
        if (!ok) {
            throw new IllegalArgumentException("line " + number + ": " + what);
        }
    }
}
