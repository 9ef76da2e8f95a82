package dev.laambda.cli;

/** The server URL and API token the CLI talks to the Laambda server with. */
record Login(String server, String token) {

    /** Never shows the token, so a stray log or exception message cannot leak it. */
    @Override
    public String toString() {
        return "Login[server=" + server + ", token=" + (token == null ? "none" : "(hidden)") + "]";
    }
}
