package dev.laambda.release;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** An app's Procfile: one function per `name: handler` line. */
public record Procfile(SortedMap<String, String> entries) {

    public static final int MAX_ENTRIES = 20;
    /** Lambda's own limit on a function's Handler setting (CreateFunction: at most 128, no whitespace). */
    public static final int MAX_HANDLER_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,29}$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    public Procfile {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public static LaambdaException missing() {
        return LaambdaException.invalid("no_procfile", "No Procfile found: add one, e.g. \"web: app.handler\"");
    }

    /** Parses and validates; every error names the line to fix. */
    public static Procfile parse(byte[] content) {
        String text = text(content);
        TreeMap<String, String> entries = new TreeMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw invalid("Procfile line " + number + ": expected 'name: handler', e.g. \"web: app.handler\".");
            }
            String name = line.substring(0, colon).strip();
            String handler = line.substring(colon + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw invalid("Procfile line " + number + ": process type '" + Echo.of(name) + "' is invalid: use lowercase "
                        + "letters, digits and dashes, starting with a letter (at most 30).");
            }
            if (handler.isEmpty()) {
                throw invalid("Procfile line " + number + ": '" + name + ":' has no handler: write e.g. \"" + name
                        + ": app.handler\".");
            }
            if (WHITESPACE.matcher(handler).find()) {
                throw invalid("Procfile line " + number + ": handler '" + Echo.of(handler) + "' has spaces: a Lambda "
                        + "handler is one word such as \"app.handler\", not a command.");
            }
            if (handler.length() > MAX_HANDLER_LENGTH) {
                throw invalid("Procfile line " + number + ": the handler of '" + name + "' is " + handler.length()
                        + " characters long; Lambda allows " + MAX_HANDLER_LENGTH + ".");
            }
            if (entries.put(name, handler) != null) {
                throw invalid("Procfile line " + number + ": duplicate process type '" + name + "'.");
            }
        }
        if (entries.size() > MAX_ENTRIES) {
            throw invalid("Procfile has " + entries.size() + " process types; at most " + MAX_ENTRIES + " are allowed.");
        }
        if (entries.isEmpty()) {
            throw invalid("Procfile has no process types: add one, e.g. \"web: app.handler\".");
        }
        return new Procfile(entries);
    }

    /** UTF-8 without control characters (tabs and line ends aside); a leading byte-order mark, as some editors write, is dropped. */
    private static String text(byte[] content) {
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
            String text = decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded;
            if (text.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)) {
                throw invalid("Procfile is not text: it holds control characters; write 'name: handler' lines.");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw invalid("Procfile is not text: it is not valid UTF-8; write 'name: handler' lines.");
        }
    }

    private static LaambdaException invalid(String message) {
        return LaambdaException.invalid("invalid_procfile", message);
    }
}
