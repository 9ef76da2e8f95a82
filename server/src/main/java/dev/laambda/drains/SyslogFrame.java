package dev.laambda.drains;

import dev.laambda.logs.HerokuLine;
import dev.laambda.store.LogLine;

import java.nio.charset.StandardCharsets;

/**
 * One line as a syslog drain receives it, as Heroku's drains send it (RFC 5424 in RFC 6587's octet-counted
 * framing): {@code LEN <190>1 TIMESTAMP APP SOURCE PROCESS - - LINE}, e.g.
 * {@code 83 <190>1 2026-11-29T10:00:00.123456+00:00 web-demo app web - - hello}. Priority 190 is local7.info, as
 * Heroku's; HOSTNAME is the app, APP-NAME "app" or "laambda", PROCID the entry or router/api/build.
 */
final class SyslogFrame {

    private static final int PRIORITY = 190;

    private SyslogFrame() {
    }

    static byte[] of(String appName, LogLine line) {
        String message = "<" + PRIORITY + ">1 " + HerokuLine.timestamp(line.at()) + " " + field(appName, 255) + " "
                + field(line.source().id(), 48) + " " + field(line.process(), 128) + " - - " + line.line();
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] length = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + body.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(body, 0, frame, length.length, body.length);
        return frame;
    }

    /** A header field: printable US-ASCII without spaces (RFC 5424 PRINTUSASCII), at most {@code max} long, else "-". */
    private static String field(String value, int max) {
        StringBuilder printable = new StringBuilder();
        for (char c : value.toCharArray()) {
            printable.append(c >= 33 && c <= 126 ? c : '_');
            if (printable.length() == max) {
                break;
            }
        }
        return printable.isEmpty() ? "-" : printable.toString();
    }
}
