package dev.laambda.testing;

/** A Laambda server under test, in this JVM ({@link TestServer}) or in a process of its own ({@link TestServerProcess}). */
public interface RunningServer {

    String url();

    int sshPort();

    /** A client holding the first admin's token. */
    TestApi admin();
}
