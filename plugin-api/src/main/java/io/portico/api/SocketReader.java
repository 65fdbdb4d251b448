package io.portico.api;

import java.nio.ByteBuffer;

/**
 * What a plugin does with a {@link SocketConnection}'s incoming bytes. {@link #onBytes} is called
 * on an event-loop thread, one call at a time for a connection, so it must not block: complete a
 * future, and let whatever waits on it go on. {@link #onClosed} is called once, on the thread that
 * saw or made the close.
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
     * The connection has closed, and no more bytes will come.
     *
     * @param failure why, or {@code null} when the service closed it or the plugin did
     */
    void onClosed(Throwable failure);
}
