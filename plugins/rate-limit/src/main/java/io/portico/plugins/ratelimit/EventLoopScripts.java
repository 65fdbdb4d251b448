package io.portico.plugins.ratelimit;

import io.portico.api.SocketConnection;
import io.portico.api.SocketReader;
import io.portico.api.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Script calls to one Redis node on a connection on the gateway's own event loop
 * ({@link Sockets}), as nginx modules talk to Redis. A call is queued where the request runs; when
 * the turn of the loop that served those requests ends, the calls it queued go out together, and
 * the calls of one key (the same keys and arguments) go as one script call that decides them one
 * after the other ({@code rate-limit.lua}'s count). Redis' answers are read on the loop, and each
 * completes its calls right there, so the requests go on without another thread woken. With a
 * thread of our own the hand-over cost about a quarter of a context switch per request each way,
 * the largest part of what the redis policy added (performance.md).
 *
 * <p>Merging keeps the counting exact: Redis runs one script at a time, so the requests of a
 * merged call are decided in a row, as they would be if each came in a call of its own. It saves
 * Redis a script run and the gateway a command and an answer per request it merges: a hot key (a
 * busy consumer, or one client) costs one call per turn.
 *
 * <p>Answers come in the order the commands were written. A call Redis answers NOSCRIPT (a
 * restarted Redis, or a script flush) goes again as EVAL, which also makes Redis keep the script
 * for the EVALSHAs after it. The connection is made at the first call, with the url's user,
 * password and database; calls made meanwhile wait for it. When it closes or fails, its calls fail
 * and the next call connects again. A call without an answer by its deadline fails; the connection
 * it waited on (or was still being made for it) is then presumed hung and closed, failing the calls
 * behind it, so a hung Redis or a dead peer costs each call at most its deadline, the circuit
 * breaker (in {@link RedisConnection}) sees the failures, and the next call connects afresh.
 */
final class EventLoopScripts implements ScriptCalls {
    /** The most requests one script call decides: it bounds how long one call holds Redis. */
    static final int MOST_MERGED = 128;
    private static final int ANSWER_SIZE = 6;

    /** What a command on the connection is: setup that must succeed, setup that may fail, or a call. */
    private enum Kind { REQUIRED_SETUP, OPTIONAL_SETUP, EVALSHA, EVAL }

    /**
     * A command, queued or sent: setup (no calls), or the script for one or more calls.
     *
     * @param command its bytes; {@code null} for a call queued and not yet merged
     */
    private record Sent(Kind kind, List<ScriptCall> calls, ByteBuffer command) {
    }

    /** The calls one script call may decide together: the same keys and arguments. */
    private record Alike(List<String> keys, List<String> arguments) {
    }

    /**
     * A command a new connection sends before any call.
     *
     * @param required whether an error answer makes the connection useless (AUTH, SELECT), or is
     *                 only noted (CLIENT SETNAME, which an ACL may forbid, as Jedis lets it)
     */
    record Setup(ByteBuffer command, boolean required) {
    }

    private final Sockets sockets;
    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final long answerTimeoutNanos;
    private final List<Setup> setup;
    private final LuaScript script;
    private final CallDeadlines deadlines = new CallDeadlines(this::expired);
    private final ReentrantLock lock = new ReentrantLock();
    private Link link;

    /**
     * @param setup the commands every new connection sends first
     */
    EventLoopScripts(Sockets sockets, String host, int port, Duration connectTimeout, Duration answerTimeout,
                     List<Setup> setup, LuaScript script) {
        this.sockets = sockets;
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.answerTimeoutNanos = answerTimeout.toNanos();
        this.setup = List.copyOf(setup);
        this.script = script;
    }

    @Override
    public CompletableFuture<Object> submit(List<String> keys, List<String> arguments) {
        ScriptCall call = new ScriptCall(keys, arguments, new CompletableFuture<>(), System.nanoTime() + answerTimeoutNanos);
        deadlines.watch(call);
        Sent item = new Sent(Kind.EVALSHA, List.of(call), null);
        Link connecting = null;
        Link writing;
        lock.lock();
        try {
            if (link == null) {
                link = new Link();
                connecting = link;
            }
            writing = link.queue(item) ? link : null;
        } finally {
            lock.unlock();
        }
        if (connecting != null) {
            connect(connecting);
        }
        if (writing != null) {
            writing.writeLater();
        }
        return call.result();
    }

    /** On a thread of its own: finding the address may ask DNS, which must not hold up the loop. */
    private void connect(Link opening) {
        Thread.ofVirtual().name("portico-rate-limit-connect").start(() -> {
            try {
                sockets.connect(new InetSocketAddress(host, port), connectTimeout, opening)
                        .whenComplete((connection, failure) -> opening.opened(connection, failure));
            } catch (RuntimeException failure) {
                opening.opened(null, failure);
            }
        });
    }

    private void expired(ScriptCall call) {
        Link hung;
        lock.lock();
        try {
            hung = link != null && link.carries(call) ? link : null;
        } finally {
            lock.unlock();
        }
        if (hung != null) {
            hung.close(new IOException("Redis at " + host + ":" + port + " gave no answer in time; connection closed"));
        }
    }

    /** The script for these calls of one key: EVALSHA or EVAL, with the count when more than one. */
    private ByteBuffer command(Kind kind, List<ScriptCall> calls) {
        ScriptCall first = calls.get(0);
        String[] arguments = first.commandArguments(kind == Kind.EVAL ? script.text() : script.sha(), calls.size());
        return Resp.command(kind == Kind.EVAL ? "EVAL" : "EVALSHA", Arrays.asList(arguments));
    }

    /**
     * One connection and the commands on it, in order. Until the connection is open, calls wait in
     * {@code unsent}; then commands wait in {@code queued} for the connection to ask for them
     * ({@link SocketConnection#writeLater}), and in {@code sent} for their answers. All state is
     * guarded by the outer lock.
     */
    private final class Link implements SocketReader {
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private final List<Sent> unsent = new ArrayList<>();
        private List<Sent> queued = new ArrayList<>();
        private SocketConnection connection;
        private boolean asked;
        private boolean closed;

        /** Under the lock: queues a command; true when the caller must {@link #writeLater} after the lock. */
        boolean queue(Sent item) {
            if (connection == null) {
                unsent.add(item);
                return false;
            }
            queued.add(item);
            if (asked) {
                return false;
            }
            asked = true;
            return true;
        }

        /** Outside the lock: asks the connection for one write of what is queued by then. */
        void writeLater() {
            SocketConnection open;
            lock.lock();
            try {
                open = connection;
            } finally {
                lock.unlock();
            }
            open.writeLater(this::queuedCommands);
        }

        /**
         * On the loop, when the turn's writes go out: the queued commands, calls of one key merged,
         * recorded as sent in the order of their bytes.
         */
        private ByteBuffer queuedCommands() {
            lock.lock();
            try {
                asked = false;
                if (closed || queued.isEmpty()) {
                    return null;
                }
                List<Sent> taken = queued;
                queued = new ArrayList<>();
                List<Sent> commands;
                ByteBuffer out;
                try {
                    commands = merged(taken);
                    int size = 0;
                    for (Sent command : commands) {
                        size += command.command().remaining();
                    }
                    out = ByteBuffer.allocate(size);
                } catch (RuntimeException | Error failure) {
                    // the connection closes on this (LoopSocket), and close() no longer sees these
                    for (Sent item : taken) {
                        fail(item.calls(), failure);
                    }
                    throw failure;
                }
                for (Sent command : commands) {
                    sent.add(command);
                    out.put(command.command().duplicate());
                }
                return out.flip();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Setup and second tries first, as queued; then one command per key, in the order each key
         * first came, with at most {@link #MOST_MERGED} calls each. A call whose deadline passed
         * is not sent at all.
         */
        private List<Sent> merged(List<Sent> taken) {
            List<Sent> commands = new ArrayList<>();
            Map<Alike, List<ScriptCall>> byKey = new LinkedHashMap<>();
            for (Sent item : taken) {
                if (item.command() != null) {
                    commands.add(item);
                    continue;
                }
                ScriptCall call = item.calls().get(0);
                if (!call.result().isDone()) {
                    byKey.computeIfAbsent(new Alike(call.keys(), call.arguments()), alike -> new ArrayList<>()).add(call);
                }
            }
            for (List<ScriptCall> calls : byKey.values()) {
                for (int from = 0; from < calls.size(); from += MOST_MERGED) {
                    List<ScriptCall> part = List.copyOf(calls.subList(from, Math.min(calls.size(), from + MOST_MERGED)));
                    commands.add(new Sent(Kind.EVALSHA, part, command(Kind.EVALSHA, part)));
                }
            }
            return commands;
        }

        /** Under the lock: whether the call still waits on this connection, sent or not. */
        boolean carries(ScriptCall call) {
            return carries(sent, call) || carries(queued, call) || carries(unsent, call);
        }

        private static boolean carries(Iterable<Sent> items, ScriptCall call) {
            for (Sent item : items) {
                if (item.calls().contains(call)) {
                    return true;
                }
            }
            return false;
        }

        void opened(SocketConnection opened, Throwable failure) {
            if (failure != null) {
                close(new IOException("cannot connect to Redis at " + host + ":" + port + ": " + failure, failure));
                return;
            }
            boolean accepted = false;
            boolean write = false;
            lock.lock();
            try {
                if (!closed) {
                    accepted = true;
                    connection = opened;
                    for (Setup command : setup) {
                        write |= queue(new Sent(command.required() ? Kind.REQUIRED_SETUP : Kind.OPTIONAL_SETUP,
                                List.of(), command.command().duplicate()));
                    }
                    for (Sent item : unsent) {
                        write |= queue(item);
                    }
                    unsent.clear();
                }
            } finally {
                lock.unlock();
            }
            if (!accepted) {
                opened.close();
            } else if (write) {
                writeLater();
            }
        }

        @Override
        public void onBytes(ByteBuffer bytes) {
            while (true) {
                Object reply = Resp.read(bytes);
                if (reply == Resp.INCOMPLETE) {
                    return;
                }
                Sent answered;
                boolean again = false;
                lock.lock();
                try {
                    answered = sent.poll();
                    if (answered != null && answered.kind() == Kind.EVALSHA && reply instanceof Resp.ErrorReply error
                            && NoScript.is(error.message())) {
                        again = queue(new Sent(Kind.EVAL, answered.calls(), command(Kind.EVAL, answered.calls())));
                        answered = null;
                    } else if (answered == null) {
                        throw new IllegalStateException("Redis answered more than it was asked");
                    }
                } finally {
                    lock.unlock();
                }
                if (again) {
                    writeLater();
                }
                if (answered != null && !answer(answered, reply)) {
                    return;
                }
            }
        }

        /** @return whether the connection is still of use */
        private boolean answer(Sent answered, Object reply) {
            if (answered.kind() == Kind.REQUIRED_SETUP || answered.kind() == Kind.OPTIONAL_SETUP) {
                if (reply instanceof Resp.ErrorReply error && answered.kind() == Kind.REQUIRED_SETUP) {
                    close(new IOException("Redis at " + host + ":" + port + " refused the connection's setup: " + error.message()));
                    return false;
                }
                return true;
            }
            List<ScriptCall> calls = answered.calls();
            if (reply instanceof Resp.ErrorReply error) {
                fail(calls, new IllegalStateException("Redis: " + error.message()));
            } else if (!(reply instanceof List<?> numbers) || numbers.size() != calls.size() * ANSWER_SIZE) {
                fail(calls, new IllegalStateException("Redis: not the script's answer for " + calls.size()
                        + " requests: " + reply));
            } else if (calls.size() == 1) {
                calls.get(0).result().complete(numbers);
            } else {
                for (int i = 0; i < calls.size(); i++) {
                    calls.get(i).result().complete(numbers.subList(i * ANSWER_SIZE, (i + 1) * ANSWER_SIZE));
                }
            }
            return true;
        }

        @Override
        public void onClosed(Throwable failure) {
            close(failure != null ? failure : new IOException("Redis at " + host + ":" + port + " closed the connection"));
        }

        /** Fails every call on this connection and forgets it, so the next call connects again. */
        void close(Throwable failure) {
            List<Sent> failed = new ArrayList<>();
            SocketConnection open;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (link == this) {
                    link = null;
                }
                failed.addAll(sent);
                failed.addAll(queued);
                failed.addAll(unsent);
                sent.clear();
                queued.clear();
                unsent.clear();
                open = connection;
            } finally {
                lock.unlock();
            }
            if (open != null) {
                open.close();
            }
            for (Sent item : failed) {
                fail(item.calls(), failure);
            }
        }

        private static void fail(List<ScriptCall> calls, Throwable failure) {
            for (ScriptCall call : calls) {
                call.result().completeExceptionally(failure);
            }
        }
    }
}
