package io.portico.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The end point's interest bookkeeping, driven step by step in the orders a selector and other
 * threads can take (Jetty's selector runs {@code onSelected} for each reported key, then the tasks,
 * possibly on other threads, then {@code updateKey} for each; a submitted update runs
 * {@code updateKey} too). A real socket pair and a real {@link Selector}; this test is the selector.
 */
class SparingEndPointTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();
    private ServerSocketChannel listener;
    private SocketChannel peer;
    private Selector selector;
    private SelectionKey key;
    private SparingEndPoint endPoint;

    @BeforeEach
    void connect() throws Exception {
        scheduler.start();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer = SocketChannel.open(listener.getLocalAddress());
        SocketChannel local = listener.accept();
        local.configureBlocking(false);
        selector = Selector.open();
        key = local.register(selector, 0);
        endPoint = new SparingEndPoint(local, null, key, scheduler, Runnable::run);
        key.attach(endPoint);
        endPoint.onOpen();
    }

    @AfterEach
    void close() throws Exception {
        endPoint.close();
        peer.close();
        listener.close();
        selector.close();
        scheduler.stop();
    }

    /**
     * The lost wake-up of the first version: a read event comes while nobody waits; before the
     * selector updates the key, another thread registers to read and the event's task serves that
     * registration at once. The next registration must still be woken by the next bytes.
     */
    @Test
    void aRegistrationServedWithinOneSelect_leavesTheSocketWatched() throws Exception {
        readOne("one");

        send("two");                              // nobody waits
        Runnable task = selected();               // the selector reports it
        Reader second = new Reader();             // another thread registers meanwhile: the selector
        endPoint.fillInterested(second);          // has an update of the key to come, so none is submitted
        task.run();                               // and the report's task serves that registration
        endPoint.updateKey();                     // then the selector updates the key
        assertEquals("two", second.text());

        Reader third = register();
        send("three");
        runRound();
        assertEquals("three", third.text(), "the socket was never reported again");
    }

    @Test
    void aReadEventNobodyWaitsFor_stopsBeingReported_andIsServedOnRegistration() throws Exception {
        readOne("one");

        send("two");                              // the peer sends while its last message is handled
        runRound();                               // reported once, nobody waits: the key stops watching
        assertEquals(0, selector.selectNow(), "a socket nobody reads from must not be reported on every select");

        Reader second = register();
        runRound();
        assertEquals("two", second.text());
    }

    @Test
    void aReadAfterOneThatEmptiedTheSocket_findsBytesThatCameSince() throws Exception {
        readOne("one");

        send("two");                              // comes after the socket was emptied
        ByteBuffer buffer = BufferUtil.allocate(64);
        assertEquals(0, endPoint.fill(buffer), "until reported, a read after an emptying one spares the call");
        Reader second = register();               // so the caller waits, as every caller of fill does
        runRound();
        assertEquals("two", second.text());
    }

    @Test
    void aPeerThatCloses_isReadAsTheEnd() throws Exception {
        readOne("one");

        peer.shutdownOutput();
        Reader second = register();
        runRound();
        assertTrue(second.ended, "the end of the stream reaches the reader");
    }

    @Test
    void whileWatched_aPeerThatCloses_runsTheWatcher_andTheReaderStillMeetsTheEnd() throws Exception {
        readOne("one");
        int[] closes = {0};
        endPoint.watchPeer(() -> closes[0]++);

        peer.shutdownOutput();                    // the client goes while its request is handled
        runRound();
        assertEquals(1, closes[0], "the end of the stream, read ahead, runs the watcher");

        endPoint.unwatchPeer();
        Reader after = register();
        runRound();
        assertTrue(after.ended, "the end of the stream stays for the reader");
    }

    @Test
    void whileWatched_aByteReadAhead_comesFirst_andItsReaderIsCalledThoughTheSocketHoldsNoMore() throws Exception {
        readOne("one");
        int[] closes = {0};
        endPoint.watchPeer(() -> closes[0]++);

        send("X");                                // one byte of a pipelined request, nobody reads
        runRound();                               // read ahead: the socket is empty again
        assertEquals(0, closes[0]);
        endPoint.unwatchPeer();

        Reader next = new Reader();               // no select reports anything now: the registration
        endPoint.fillInterested(next);            // itself calls the reader back
        assertEquals("X", next.text());

        readOne("two");                           // and the socket is watched as before
    }

    @Test
    void whileWatched_bytesThatFollowTheOneReadAhead_followIt() throws Exception {
        readOne("one");
        endPoint.watchPeer(() -> {
        });

        send("GET /next");
        runRound();                               // "G" read ahead, the rest still in the socket
        Reader next = register();
        ByteBuffer buffer = BufferUtil.allocate(64);
        // the registration calls back at once, and its fill hands over the byte and what followed it
        assertEquals("GET /next", next.text());
        assertEquals(0, endPoint.fill(buffer));
    }

    @Test
    void aWaitingReader_keepsTheKeyWatchingBetweenMessages() throws Exception {
        for (String message : List.of("a", "b", "c")) {
            readOne(message);
        }
        assertTrue((key.interestOps() & SelectionKey.OP_READ) != 0, "a socket that is read from stays registered");
    }

    /** A reader waits, the peer sends, one select serves it: what the tests start from. */
    private void readOne(String message) throws IOException {
        Reader reader = register();
        send(message);
        runRound();
        assertEquals(message, reader.text());
    }

    /** A registration between selects, followed by the update of the key it may have submitted. */
    private Reader register() {
        Reader reader = new Reader();
        endPoint.fillInterested(reader);
        endPoint.updateKey();
        return reader;
    }

    private void send(String text) throws IOException {
        peer.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** One select: the report, its task, the key's update. */
    private void runRound() throws IOException {
        Runnable task = selected();
        task.run();
        endPoint.updateKey();
    }

    private Runnable selected() throws IOException {
        assertEquals(1, selector.select(2_000), "the socket was not reported readable");
        selector.selectedKeys().clear();
        Runnable task = endPoint.onSelected();
        assertNotNull(task);
        return task;
    }

    /** A connection's reader: when called back it reads what there is. */
    private final class Reader implements Callback {
        private final List<String> read = new ArrayList<>();
        private boolean called;
        private boolean ended;

        @Override
        public void succeeded() {
            called = true;
            try {
                ByteBuffer buffer = BufferUtil.allocate(64);
                int filled = endPoint.fill(buffer);
                if (filled < 0) {
                    ended = true;
                } else {
                    read.add(BufferUtil.toString(buffer, StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        String text() {
            assertTrue(called, "the reader was not called back");
            assertFalse(read.isEmpty());
            return String.join("", read);
        }
    }
}
