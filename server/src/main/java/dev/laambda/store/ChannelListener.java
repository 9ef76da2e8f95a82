package dev.laambda.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * One connection of the pool LISTENing to one PostgreSQL channel, on its own thread, handing each notification's
 * payload to a {@link Handler}; after a failure it reconnects a second later. Notifications sent while no
 * connection listened are lost, which is why the handler hears of every (re)connection and catches up there.
 */
public final class ChannelListener implements AutoCloseable {

    /** What the owner of the channel does with it. */
    public interface Handler {
        /** Listening (again): whatever happened before is to be read afresh. */
        void connected();

        /** A notification's payload, as sent with {@code pg_notify}. */
        void notified(String payload);

        /** Not listening now: until {@link #connected} nothing is heard of changes. */
        void disconnected();
    }

    private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);
    /** Channel names go into the LISTEN statement as they are, so only plain identifiers are taken. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_]+");

    private final Database database;
    private final String channel;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean closing;

    public ChannelListener(Database database, String channel, Handler handler) {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("Not a channel name: " + channel);
        }
        this.database = database;
        this.channel = channel;
        this.handler = handler;
        this.thread = new Thread(this::listen, channel + "-listener");
        thread.setDaemon(true);
    }

    /** Starts listening, on its own thread. */
    public ChannelListener start() {
        thread.start();
        return this;
    }

    @Override
    public void close() {
        closing = true;
        thread.interrupt();
    }

    private void listen() {
        while (!closing) {
            try (Connection connection = database.dataSource().getConnection()) {
                try (var statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                handler.connected();
                while (!closing) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        handler.notified(notification.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                handler.disconnected();
                if (closing) {
                    return;
                }
                log.warn("event=listener_reconnecting channel={} error=\"{}\"", channel, e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
