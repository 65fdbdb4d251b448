package io.portico.core.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.AutoLock;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * One keep-alive HTTP/1.1 connection to a target, carrying one exchange at a time. It runs on the
 * gateway's selectors: the request head goes out in one write from the thread that sends it, and the
 * answer is parsed on the thread that selected it, where its status and headers go straight on to
 * the client. Body bytes are handed on as views of the input buffer, so nothing is copied; the
 * connection reads on once the client's side released them. Between exchanges it waits in its
 * target's pool, still reading, so that an upstream closing it is noticed.
 */
final class UpstreamConnection extends AbstractConnection.NonBlocking implements HttpParser.ResponseHandler {
    private static final int INPUT_SIZE = 16 * 1024;
    private static final int COPIED_UP_TO = 4 * 1024;
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final int MAX_HEAD_SIZE = 64 * 1024;

    private enum State { NEW, IDLE, ACTIVE, CLOSED }

    private enum Step { STOP, HEADERS, CONTENT, FINISH, FAIL, CLOSE }

    private final TargetConnections pool;
    private final AnswerParser parser = new AnswerParser(this, MAX_HEAD_SIZE);
    private final AutoLock lock = new AutoLock();
    /** Why the connection broke below HTTP, when it did: see {@link #transportFailed}. */
    private volatile Throwable transportFailure;
    private final ByteBufferPool buffers;
    // the input buffer (in flush mode) and its pooled holder, taken for a read and given back once
    // parsed (returnInput), so that a connection waiting for its answer or idle in its pool holds
    // none: there may be thousands. A large piece of body handed to the client's side keeps the
    // holder until released; a large last one takes it along (lastChunk). Guarded by lock.
    private RetainableByteBuffer held;
    private ByteBuffer input = NO_INPUT;
    private final Callback headWritten = Callback.from(InvocationType.NON_BLOCKING, this::headWritten, this::sendFailed);
    private ByteBuffer head = ByteBuffer.allocate(1024);

    // guarded by lock
    private State state = State.NEW;
    private Exchange exchange;
    private int recycled;
    private boolean advancing;
    private boolean again;

    // written by the parser's callbacks, inside advance(), which one thread at a time runs
    private int status;
    private boolean persistent;
    private HttpFields.Mutable fields;
    private boolean headersComplete;
    private ByteBuffer content;
    private boolean messageComplete;
    private Throwable parseFailure;

    UpstreamConnection(EndPoint endPoint, Executor executor, ByteBufferPool buffers, TargetConnections pool) {
        super(endPoint, executor);
        this.buffers = buffers;
        this.pool = pool;
    }

    /**
     * Under the lock: the last chunk of an answer. A small one is a copy (see {@link #chunk}); a
     * larger one takes the buffer along, which goes back to the pool when the chunk is released.
     */
    private Content.Chunk lastChunk(ByteBuffer bytes) {
        if (bytes.remaining() <= COPIED_UP_TO) {
            return Content.Chunk.from(copyOut(bytes), true);
        }
        RetainableByteBuffer taken = held;
        held = null;
        input = NO_INPUT;
        return Content.Chunk.from(bytes, true, taken::release);
    }

    /**
     * Under the lock: a chunk of the answer, not its last; the connection reads on once the
     * client's side released it. A small one is a copy, and the input buffer goes back to the pool
     * once parsed: thousands of small answers ready together then share a few buffers instead of
     * each holding one until its client has the bytes. A larger one keeps the buffer until released.
     */
    private Content.Chunk chunk(ByteBuffer bytes, Exchange owner) {
        if (bytes.remaining() <= COPIED_UP_TO) {
            return Content.Chunk.from(copyOut(bytes), false, () -> released(owner));
        }
        RetainableByteBuffer taken = held;
        taken.retain();
        return Content.Chunk.from(bytes, false, () -> {
            taken.release();
            released(owner);
        });
    }

    /** Under the lock: an empty input buffer to read into, from the pool when the connection holds none. */
    private ByteBuffer readInto() {
        if (held == null) {
            held = buffers.acquire(INPUT_SIZE, false);
            input = held.getByteBuffer();
        }
        BufferUtil.clear(input);
        return input;
    }

    /**
     * Under the lock, when no view of the input buffer is out unless it holds a reference of its
     * own: gives the buffer back to the pool once what is left in it to parse is little, keeping
     * that in a copy (a chunked answer's terminator, the next chunk of a small one).
     */
    private void returnInput() {
        if (held == null || input.remaining() > COPIED_UP_TO) {
            return;
        }
        ByteBuffer rest = input.hasRemaining() ? BufferUtil.copy(input) : NO_INPUT;
        releaseInput();
        input = rest;
    }

    /** Under the lock: a copy of a small piece of body, the input buffer then given back if it can be. */
    private ByteBuffer copyOut(ByteBuffer bytes) {
        ByteBuffer copy = BufferUtil.copy(bytes);
        returnInput();
        return copy;
    }

    /** Under the lock: drops the connection's reference to the input buffer, and what was left in it. */
    private void releaseInput() {
        if (held != null) {
            held.release();
            held = null;
        }
        input = NO_INPUT;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
    }

    /**
     * Sends a request on this connection, unless it is busy or closed (then false, and nothing was sent).
     * The listener hears of the answer.
     */
    boolean start(UpstreamRequest request, UpstreamListener listener) {
        Exchange started;
        try (AutoLock ignored = lock.lock()) {
            if ((state != State.IDLE && state != State.NEW) || !getEndPoint().isOpen()) {
                return false;
            }
            state = State.ACTIVE;
            started = new Exchange(request, listener, recycled > 0);
            exchange = started;
            resetParse();
            parser.reset();
            parser.setHeadResponse(request.method().equals("HEAD"));
        }
        if (request.clientGone() != null) {
            request.clientGone().whenGone(() -> fail(started, new ClientGone.ClientGoneException()));
        }
        try {
            getEndPoint().setIdleTimeout(request.idleTimeoutMillis());
            head = RequestHead.write(head, request.method(), request.pathAndQuery(), request.host(), request.headers(),
                    request.framing());
            boolean bodyFollows = request.body() != null;
            ByteBuffer[] out = request.bytes() != null && request.bytes().length > 0
                    ? new ByteBuffer[]{head, ByteBuffer.wrap(request.bytes())} : new ByteBuffer[]{head};
            if (getEndPoint() instanceof TurnEnd loop) {
                // with the heads of every request this turn read, so the upstream wakes once for them
                loop.atTurnEnd(() -> sendHead(started, out, bodyFollows));
                return true;
            }
            if (write(started, !bodyFollows, headWritten, out) && bodyFollows) {
                new BodyPump(started).iterate();
            }
        } catch (Throwable failure) {
            fail(started, failure);
        }
        return true;
    }

    private void sendHead(Exchange started, ByteBuffer[] out, boolean bodyFollows) {
        try {
            if (write(started, !bodyFollows, headWritten, out) && bodyFollows) {
                new BodyPump(started).iterate();
            }
        } catch (Throwable failure) {
            fail(started, failure);
        }
    }

    /**
     * Writes what the socket takes at once; true when that was all, else the rest goes out later and
     * {@code later} hears of it. The request's last bytes are written under the lock: the upstream
     * can answer the moment they are out, and the thread that parses that answer must find the
     * request sent, or it cannot recycle the connection before the client has its answer.
     */
    private boolean write(Exchange owner, boolean last, Callback later, ByteBuffer... buffers) throws IOException {
        boolean all = false;
        boolean answered = false;
        try (AutoLock ignored = lock.lock()) {
            if (exchange != owner) {
                // failed (and maybe sent again elsewhere) before a byte of it went out
                throw new ClosedChannelException();
            }
            // from here on the upstream may have seen the request: only a repeatable one goes again
            owner.writing = true;
            if (last) {
                all = getEndPoint().flush(buffers);
                owner.requestSent = all;
                answered = all && owner.answered;
            }
        }
        if (!last) {
            all = getEndPoint().flush(buffers);
        }
        if (!all) {
            getEndPoint().write(later, buffers);
            return false;
        }
        if (answered) {
            recycle(owner);
        }
        return true;
    }

    private void headWritten() {
        Exchange current = current();
        if (current == null) {
            return;
        }
        if (current.request.body() != null) {
            new BodyPump(current).iterate();
        } else {
            requestSent(current);
        }
    }

    private void sendFailed(Throwable failure) {
        // the head did not go out: the connection broke below HTTP (over TLS, the handshake's reason).
        // Remembered now, since the close that follows may fail the exchange before the pool thread does
        if (transportFailure == null) {
            transportFailure = failure;
        }
        failLater(null, failure);
    }

    /**
     * Fails the exchange ({@code null}: the current one) on a pool thread. A write's failure may be
     * reported under the TLS end point's lock (it closes under it, failing the pending write), and
     * our reads take that lock under ours: taking ours here could deadlock.
     */
    private void failLater(Exchange owner, Throwable failure) {
        Runnable failing = () -> {
            Exchange failed = owner != null ? owner : current();
            if (failed != null) {
                fail(failed, failure);
            }
        };
        try {
            getExecutor().execute(failing);
        } catch (RejectedExecutionException stopping) {
            // the gateway is stopping and its threads with it: nobody reads any more
            failing.run();
        }
    }

    private Exchange current() {
        try (AutoLock ignored = lock.lock()) {
            return exchange;
        }
    }

    @Override
    public void onFillable() {
        advance();
    }

    /** The client's side let go of the bytes handed to it: read on. */
    private void released(Exchange owner) {
        try (AutoLock ignored = lock.lock()) {
            if (exchange != owner) {
                return;
            }
            owner.chunkOut = false;
        }
        advance();
    }

    /**
     * Reads and parses until the answer needs someone else: the client's side to take a chunk, or
     * the socket to have more. One thread at a time runs it; a call meanwhile makes it go round once more.
     */
    private void advance() {
        try (AutoLock ignored = lock.lock()) {
            if (advancing) {
                again = true;
                return;
            }
            advancing = true;
        }
        while (true) {
            Step step;
            Exchange current;
            Content.Chunk chunk = null;
            boolean ends;
            try (AutoLock ignored = lock.lock()) {
                again = false;
                current = exchange;
                try {
                    step = next(current);
                } catch (Throwable failure) {
                    parseFailure = failure;
                    step = current != null ? Step.FAIL : Step.CLOSE;
                }
                if (step == Step.CONTENT && messageComplete) {
                    // the answer's last bytes: the chunk takes the input buffer along, so the
                    // connection is free for the next exchange before the client has them
                    current.leftover = input.hasRemaining();
                    current.lastOffered = true;
                    chunk = lastChunk(content);
                    content = null;
                } else if (step == Step.CONTENT) {
                    chunk = chunk(content, current);
                    content = null;
                    current.chunkOut = true;
                } else if (step == Step.HEADERS) {
                    current.headersDelivered = true;
                    current.body = new UpstreamBody(this, current, fields.getLongField("Content-Length"));
                }
                if (step == Step.STOP) {
                    if (!again) {
                        advancing = false;
                        return;
                    }
                    continue;
                }
                ends = step == Step.FINISH || step == Step.FAIL || step == Step.CLOSE
                        || step == Step.CONTENT && current.lastOffered;
                if (ends) {
                    // the exchange ends here: whatever wakes this connection next belongs to the next one
                    advancing = false;
                }
            }
            try {
                if (act(step, current, chunk)) {
                    return;
                }
            } catch (Throwable failure) {
                // nothing here should throw; should it, the exchange fails instead of the connection hanging
                if (!ends) {
                    try (AutoLock ignored = lock.lock()) {
                        advancing = false;
                    }
                }
                if (current != null) {
                    fail(current, failure);
                }
                return;
            }
        }
    }

    /** Does what {@link #next} asked, outside the lock; true when the exchange has ended. */
    private boolean act(Step step, Exchange current, Content.Chunk chunk) {
        switch (step) {
            case HEADERS -> {
                current.listener.onHeaders(status, fields, current.body);
                return false;
            }
            case CONTENT -> {
                if (current.lastOffered) {
                    // back in the pool first: the client may send its next request the moment it has these bytes
                    finish(current);
                    current.body.offer(chunk);
                    return true;
                }
                current.body.offer(chunk);
                return false;
            }
            case FINISH -> finish(current);
            case FAIL -> fail(current, parseFailure);
            case CLOSE -> close();
            default -> throw new IllegalStateException(step.name());
        }
        return true;
    }

    /** Under the lock: what to do next for the current exchange, reading and parsing as far as that takes. */
    private Step next(Exchange current) {
        if (state == State.IDLE || state == State.NEW) {
            return idleReadable();
        }
        if (state != State.ACTIVE || current == null || current.chunkOut || current.answered) {
            return Step.STOP;
        }
        boolean triedEmpty = false;
        while (true) {
            if (parseFailure != null) {
                return Step.FAIL;
            }
            if (headersComplete && !current.headersDelivered) {
                if (status >= 100 && status < 200) {
                    if (status == 101) {
                        parseFailure = new HttpException.RuntimeException(502, "the upstream switched protocols unasked");
                        return Step.FAIL;
                    }
                    // an interim answer (100 Continue, 103 Early Hints): the real one follows
                    resetParse();
                    parser.reset();
                    continue;
                }
                return Step.HEADERS;
            }
            if (content != null) {
                if (!input.hasRemaining() && !messageComplete) {
                    // an empty parse tells whether these were the answer's last bytes
                    parser.parseNext(input);
                }
                return Step.CONTENT;
            }
            if (messageComplete && current.headersDelivered) {
                // a chunked answer's end, or one without a body: nothing is left to read
                returnInput();
                return Step.FINISH;
            }
            if (input.hasRemaining() || !triedEmpty) {
                // with nothing left to read the parser may still end the message (a HEAD, 204 or 304 answer)
                triedEmpty = !input.hasRemaining();
                parser.parseNext(input);
                continue;
            }
            triedEmpty = false;
            int filled;
            try {
                filled = getEndPoint().fill(readInto());
            } catch (Throwable failure) {
                parseFailure = failure;
                return Step.FAIL;
            }
            if (filled == 0) {
                returnInput();
                fillInterested();
                return Step.STOP;
            }
            if (filled > 0) {
                current.received = true;
            }
            if (filled < 0) {
                parser.atEOF();
                parser.parseNext(input);
                if (!messageComplete && content == null && parseFailure == null) {
                    parseFailure = new EOFException("the upstream closed the connection before it finished answering");
                }
            }
        }
    }

    /**
     * Under the lock, between exchanges: a wake-up with nothing to read is spurious; bytes or the end
     * of the stream mean the upstream closed the connection or broke the protocol.
     */
    private Step idleReadable() {
        try {
            if (getEndPoint().fill(readInto()) == 0) {
                returnInput();
                fillInterested();
                return Step.STOP;
            }
        } catch (Throwable ignored) {
            // closed below
        }
        return Step.CLOSE;
    }

    /** The whole answer was read; the connection is recycled once the request was written too. */
    private void finish(Exchange current) {
        current.listener.onComplete();
        boolean written;
        try (AutoLock ignored = lock.lock()) {
            current.answered = true;
            written = current.requestSent;
        }
        if (written) {
            recycle(current);
        }
        // only now the client can have its answer's end, and send its next request
        if (!current.lastOffered) {
            current.body.offer(Content.Chunk.EOF);
        }
    }

    /**
     * The request's last bytes were written. An upstream may answer before the thread that wrote
     * them heard so; the connection can carry the next request only once both are done.
     */
    private void requestSent(Exchange current) {
        boolean answered;
        try (AutoLock ignored = lock.lock()) {
            current.requestSent = true;
            answered = current.answered;
        }
        if (answered) {
            recycle(current);
        }
    }

    private void recycle(Exchange current) {
        boolean reuse;
        try (AutoLock ignored = lock.lock()) {
            if (exchange != current) {
                return;
            }
            exchange = null;
            reuse = persistent && !parser.isClose() && !parser.isClosed() && !getEndPoint().isInputShutdown()
                    && !input.hasRemaining() && !current.leftover && state == State.ACTIVE
                    && getEndPoint().isOpen();
            state = reuse ? State.IDLE : State.CLOSED;
            if (reuse) {
                recycled++;
            }
        }
        if (reuse) {
            // the route's upstream says how long its connections may idle (keep-alive-timeout)
            getEndPoint().setIdleTimeout(current.request.keepAliveMillis());
            if (!isFillInterested()) {
                fillInterested();
            }
            pool.release(this);
        } else {
            close();
        }
    }

    private void fail(Exchange current, Throwable failure) {
        boolean answered;
        boolean stale;
        try (AutoLock ignored = lock.lock()) {
            if (exchange != current || current == null) {
                return;
            }
            exchange = null;
            state = State.CLOSED;
            answered = current.answered;
            // a kept connection the upstream closed as the request went out: not the target's fault
            stale = current.reused && !current.received && (current.request.repeatable() || !current.writing)
                    && !(failure instanceof TimeoutException) && !UpstreamFailures.clientsFault(failure);
        }
        if (answered) {
            // the whole answer was read and reported (an early answer to an upload whose rest then
            // failed to go out): the connection goes, the exchange stays a success
            close();
            return;
        }
        if (stale) {
            close();
            pool.sendOnNewConnection(current.request, current.listener);
            return;
        }
        Throwable reason = transportFailure != null ? transportFailure : failure;
        current.listener.onFailure(reason, current.headersDelivered);
        if (current.body != null) {
            // the client's side may not have written a byte yet, and then answers with this problem,
            // under the id the request went upstream with
            current.body.failFromUpstream(UpstreamFailures.brokeOff(reason, current.request.upstream(),
                    current.request.requestId()));
        }
        close();
    }

    /** The client's side stopped reading the answer: this connection cannot finish it, so it closes. */
    void abandon(Object owner, Throwable cause) {
        boolean answered;
        try (AutoLock ignored = lock.lock()) {
            if (exchange != owner) {
                // that exchange is over, and the connection serves another (or none)
                return;
            }
            exchange = null;
            state = State.CLOSED;
            answered = ((Exchange) owner).answered;
        }
        if (!answered) {
            ((Exchange) owner).listener.onComplete();
        }
        close();
    }

    private void resetParse() {
        status = 0;
        fields = null;
        headersComplete = false;
        content = null;
        messageComplete = false;
        parseFailure = null;
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        Exchange current;
        try (AutoLock ignored = lock.lock()) {
            current = exchange;
            if (current != null && current.awaitingClient) {
                // the upstream is silent because the client's body stalled: the read timeout is
                // not the target's to fail, and the client's own idle timeout (server.limits) ends
                // a client that stalls too long, which answers 408 and holds nothing against the target
                return false;
            }
            if (current == null) {
                // idle in the pool: closed outright, not half-closed, so nobody takes it meanwhile
                state = State.CLOSED;
            }
        }
        if (current != null) {
            fail(current, timeout);
        } else {
            close();
        }
        return false;
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        if (cause != null) {
            transportFailure = cause;
        }
        close();
    }

    /**
     * Over TLS, a failed handshake closes the connection, and the exchange should fail with the
     * handshake's reason rather than with the closed channel that {@link #onClose} would report.
     * Jetty tells the handshake listener that calls this while holding the TLS end point's lock,
     * which our reads take under ours: so this only remembers, and {@link #fail} reports it.
     */
    void transportFailed(Throwable failure) {
        transportFailure = failure;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        Exchange current;
        try (AutoLock ignored = lock.lock()) {
            current = exchange;
            state = State.CLOSED;
            // nothing reads after this; a chunk still out keeps the buffer until it is released
            releaseInput();
        }
        pool.remove(this);
        if (current != null) {
            fail(current, cause != null ? cause : new ClosedChannelException());
        }
    }

    @Override
    public void startResponse(HttpVersion version, int code, String reason) {
        status = code;
        persistent = version == HttpVersion.HTTP_1_1;
        fields = HttpFields.build();
    }

    @Override
    public void parsedHeader(HttpField field) {
        fields.add(field);
        if (field.getHeader() == HttpHeader.CONNECTION) {
            // HTTP/1.1 keeps a connection unless told to close; HTTP/1.0 closes it unless told to keep it
            if (field.contains("close")) {
                persistent = false;
            } else if (field.contains("keep-alive")) {
                persistent = true;
            }
        }
    }

    @Override
    public boolean headerComplete() {
        headersComplete = true;
        return true;
    }

    @Override
    public boolean content(ByteBuffer item) {
        content = item;
        return true;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public boolean messageComplete() {
        messageComplete = true;
        return true;
    }

    @Override
    public void earlyEOF() {
        parseFailure = new EOFException("the upstream closed the connection in the middle of its answer");
    }

    @Override
    public void badMessage(HttpException failure) {
        parseFailure = (Throwable) failure;
    }

    /** One request and its answer on this connection. */
    private static final class Exchange {
        final UpstreamRequest request;
        final UpstreamListener listener;
        final boolean reused;
        // guarded by the connection's lock
        boolean requestSent;
        boolean answered;
        boolean headersDelivered;
        boolean chunkOut;
        boolean lastOffered;
        boolean leftover;
        UpstreamBody body;

        boolean received;
        boolean writing;
        /** The request body's pump waits for the client's next bytes, which the upstream waits for too. */
        volatile boolean awaitingClient;

        Exchange(UpstreamRequest request, UpstreamListener listener, boolean reused) {
            this.request = request;
            this.listener = listener;
            this.reused = reused;
        }
    }

    /** Streams a request body after its head, chunk by chunk, framed as the head announced. */
    private final class BodyPump extends IteratingCallback {
        private static final byte[] CRLF = {'\r', '\n'};
        private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
        private static final byte[] CRLF_LAST_CHUNK = {'\r', '\n', '0', '\r', '\n', '\r', '\n'};
        private final Exchange owner;
        private final Content.Source source;
        private final boolean chunked;
        private Content.Chunk current;
        private boolean lastWritten;
        // of a body of known length: the bytes still to come, so that the write of its last ones is
        // known as the last, though the end of the body comes in a chunk of its own after it
        private long unsent;

        BodyPump(Exchange owner) {
            this.owner = owner;
            this.source = owner.request.body();
            this.chunked = owner.request.framing() == -1;
            this.unsent = owner.request.framing();
        }

        @Override
        protected Action process() throws Throwable {
            if (current != null) {
                current.release();
                current = null;
            }
            while (!lastWritten) {
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    // set before the demand, whose callback may run at once and clear it
                    owner.awaitingClient = true;
                    source.demand(this::iterate);
                    return Action.IDLE;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // still waiting on the client as far as the idle check goes: its failure ends this
                    throw chunk.getFailure();
                }
                if (owner.awaitingClient) {
                    // the upstream's silence counts again, from now: the pause was the client's
                    if (getEndPoint() instanceof org.eclipse.jetty.io.IdleTimeout idle) {
                        idle.notIdle();
                    }
                    owner.awaitingClient = false;
                }
                lastWritten = chunk.isLast();
                ByteBuffer data = chunk.getByteBuffer();
                int size = data.remaining();
                boolean lastBytes = lastWritten;
                if (!chunked) {
                    unsent -= size;
                    if (unsent < 0) {
                        // the upstream would read the excess as a request of its own
                        chunk.release();
                        throw new IOException("the request body is longer than its Content-Length");
                    }
                    lastBytes |= unsent == 0;
                }
                ByteBuffer[] out;
                if (size == 0) {
                    chunk.release();
                    if (!lastWritten || !chunked) {
                        continue;
                    }
                    out = new ByteBuffer[]{ByteBuffer.wrap(LAST_CHUNK)};
                } else {
                    current = chunk;
                    out = !chunked ? new ByteBuffer[]{data} : new ByteBuffer[]{
                            ByteBuffer.wrap((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                            data, ByteBuffer.wrap(lastWritten ? CRLF_LAST_CHUNK : CRLF)};
                }
                if (!write(owner, lastBytes, this, out)) {
                    return Action.SCHEDULED;
                }
                if (current != null) {
                    current.release();
                    current = null;
                }
            }
            return Action.SUCCEEDED;
        }

        @Override
        protected void onCompleteSuccess() {
            if (current != null) {
                current.release();
                current = null;
            }
            requestSent(owner);
        }

        @Override
        protected void onCompleteFailure(Throwable failure) {
            if (current != null) {
                current.release();
                current = null;
            }
            source.fail(failure);
            failLater(owner, failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
