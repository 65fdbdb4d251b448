package io.portico.core.upstream;

/**
 * What a consistent-hash pool hashes to keep a client on one target.
 *
 * @param source where the key comes from
 * @param name   the header or cookie name; {@code null} for the client's IP
 */
public record HashOn(Source source, String name) {

    /** Where the hash key comes from. */
    public enum Source { HEADER, COOKIE, CLIENT_IP }
}
