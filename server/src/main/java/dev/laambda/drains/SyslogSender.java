package dev.laambda.drains;

import dev.laambda.store.LogLine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/** A syslog drain's connection (plain TCP or TLS), kept open from batch to batch: frames written, then flushed. */
final class SyslogSender implements DrainSender {

    private final Socket socket;
    private final OutputStream out;
    private final String appName;

    SyslogSender(Socket socket, String appName) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.appName = appName;
    }

    @Override
    public void send(List<LogLine> lines) throws IOException {
        for (LogLine line : lines) {
            out.write(SyslogFrame.of(appName, line));
        }
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing: nothing more to send on it.
        }
    }
}
