package dev.laambda.drains;

import dev.laambda.store.LogLine;

import java.io.IOException;
import java.util.List;

/** Sends lines of one app's stream to one drain; {@link #close} also breaks off a send that hangs. */
interface DrainSender extends AutoCloseable {

    /** Sends the lines, in order; returns once the drain has them (syslog: written out; https: answered 2xx). */
    void send(List<LogLine> lines) throws IOException;

    @Override
    void close();
}
