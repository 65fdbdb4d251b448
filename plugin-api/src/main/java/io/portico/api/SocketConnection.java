package io.portico.api;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * An open connection from {@link Sockets}. Every method may be called from any thread and none
 * blocks. The connection stays open, however long it is idle, until either side closes it or
 * reading or writing fails; its reader is told once, in {@link SocketReader#onClosed}. A plugin
 * that must notice a peer gone silent does so in its protocol (a deadline on an answer).
 */
public interface SocketConnection extends AutoCloseable {

    /**
     * Sends {@code bytes} after everything written before (calls from several threads go out in
     * the order the calls were made). The buffer belongs to the connection from this call on: do
     * not change or reuse it. Bytes written within one turn of the event loop go out together, in
     * one system call, when the turn ends; bytes written from a thread outside the loop wake it.
     * Bytes written to a closed connection are dropped: its reader has been, or will be, told.
     */
    void write(ByteBuffer bytes);

    /**
     * Takes this write's place in the order of writes, and asks for its bytes only when they go out:
     * {@code bytes} is called once, on the event loop, when the turn's writes are sent (or, while
     * an earlier write is still going out, when the next ones are), and what it returns is sent
     * there. A plugin gathers the work of a turn this way: requests of one turn that ask alike can
     * go as one command (the rate-limit plugin merges the Redis calls of one key). The supplier runs
     * without any lock of the connection held and must not block; {@code null} or an empty buffer
     * sends nothing. A connection that closes before its turn's writes go out may never call it,
     * or call it and drop what it returns: its reader is told of the close either way.
     *
     * @since API 1.3
     */
    void writeLater(Supplier<ByteBuffer> bytes);

    /** Whether the connection is still open: false from the moment it starts closing. */
    boolean isOpen();

    /** Closes the connection; bytes not yet sent are dropped. Closing twice does nothing. */
    @Override
    void close();
}
