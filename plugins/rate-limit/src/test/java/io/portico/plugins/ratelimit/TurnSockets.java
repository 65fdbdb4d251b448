package io.portico.plugins.ratelimit;

import io.portico.api.SocketConnection;
import io.portico.api.SocketReader;
import io.portico.api.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link Sockets} over real TCP connections whose turn of the loop the test ends: writes made
 * with {@link SocketConnection#writeLater} wait for {@link #endTurn}, as the gateway's selector
 * makes them wait for the end of the turn that served the requests. Bytes that arrive are handed
 * to the reader on a thread of the connection's own.
 */
final class TurnSockets implements Sockets, AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<SocketConnection> connect(InetSocketAddress address, Duration connectTimeout,
                                                                    SocketReader reader) {
        try {
            Connection connection = new Connection(SocketChannel.open(address), reader);
            connections.add(connection);
            Thread.ofVirtual().name("turn-sockets-reader").start(connection::read);
            return CompletableFuture.completedFuture(connection);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    synchronized int connections() {
        return connections.size();
    }

    /** Ends the turn: every connection asks its waiting suppliers, in order, and sends their bytes. */
    synchronized void endTurn() {
        for (Connection connection : connections) {
            connection.flush();
        }
    }

    @Override
    public synchronized void close() {
        for (Connection connection : connections) {
            connection.close();
        }
    }

    private static final class Connection implements SocketConnection {
        private final SocketChannel channel;
        private final SocketReader reader;
        private final List<Supplier<ByteBuffer>> waiting = new ArrayList<>();

        Connection(SocketChannel channel, SocketReader reader) {
            this.channel = channel;
            this.reader = reader;
        }

        void read() {
            ByteBuffer input = ByteBuffer.allocate(64 * 1024).flip();
            try {
                while (true) {
                    input.compact();
                    if (channel.read(input) < 0) {
                        break;
                    }
                    input.flip();
                    reader.onBytes(input);
                }
                reader.onClosed(null);
            } catch (IOException | RuntimeException e) {
                reader.onClosed(e);
            }
        }

        @Override
        public synchronized void write(ByteBuffer bytes) {
            writeNow(bytes);
        }

        @Override
        public void writeLater(Supplier<ByteBuffer> bytes) {
            synchronized (waiting) {
                waiting.add(bytes);
            }
        }

        void flush() {
            List<Supplier<ByteBuffer>> taken;
            synchronized (waiting) {
                taken = List.copyOf(waiting);
                waiting.clear();
            }
            for (Supplier<ByteBuffer> supplier : taken) {
                ByteBuffer bytes = supplier.get();
                if (bytes != null) {
                    writeNow(bytes);
                }
            }
        }

        private synchronized void writeNow(ByteBuffer bytes) {
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
