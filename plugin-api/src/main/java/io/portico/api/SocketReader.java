package io.portico.api;

import java.nio.ByteBuffer;

/**
 * What a plugin does with a {@link SocketConnection}'s incoming bytes. {@link #onBytes} is called
 * on an event-loop thread, one call at a time for a connection, so it must not block: complete a
 * future, and let whatever waits on it go on.
 */
public interface SocketReader {

    /**
     * Bytes have arrived. Take the whole messages from {@code bytes}, leaving its position after
     * the last byte taken; the bytes left (a message that has not fully arrived) are offered again
     * at the start of the next call, followed by what came since. The buffer is the connection's:
     * copy what must outlive the call.
     */
    void onBytes(ByteBuffer bytes);

    /**
     * The connection has closed, and no more bytes will be read from it. Called once, on one of the
     * gateway's threads (not always the event loop's), possibly while a last {@link #onBytes} call
     * is still running: guard what both touch (a lock, as around a queue of waiting calls).
     *
     * @param failure why, or {@code null} when it ended without a failure the gateway saw: the
     *                service or the plugin closed it, it was idle too long, or the service reset it
     *                while the gateway was reading (the operating system reports that as an end)
     */
    void onClosed(Throwable failure);
}
