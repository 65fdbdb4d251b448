package io.portico.core.upstream;

/** Placeholder until the upstream package lands. */
public record HashOn(Source source, String name) {
    public enum Source { HEADER, COOKIE, CLIENT_IP }
}
