package dev.laambda;

/** User input quoted back in an error: cut to 64 characters and without control characters, so the error stays one line. */
public final class Echo {

    private static final int MAX = 64;

    private Echo() {
    }

    public static String of(String input) {
        String text = input == null ? "" : input;
        String cut = text.length() > MAX ? text.substring(0, MAX) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
