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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Script calls to one Redis node on a connection on the gateway's own event loop
 * ({@link Sockets}), as nginx modules talk to Redis. A call is written where the request runs; the
 * writes of all requests one turn of the loop served go out together; Redis' answers are read on
 * the loop, and each completes its call right there, so the request goes on without another thread
 * woken. With a thread of our own the hand-over cost about a quarter of a context switch per
 * request each way, the largest part of what the redis policy added (performance.md).
 *
 * <p>Answers come in the order the calls were written. A call Redis answers NOSCRIPT (a restarted
 * Redis, or a script flush) goes again as EVAL, which also makes Redis keep the script for the
 * EVALSHAs after it. The connection is made at the first call, with the url's user, password and
 * database; calls made meanwhile wait for it. When it closes or fails, its calls fail and the next
 * call connects again. A call without an answer by its deadline fails; the connection it waited on
 * (or was still being made for it) is then presumed hung and closed, failing the calls behind it,
 * so a hung Redis or a dead peer costs each call at most its deadline, the circuit breaker (in
 * {@link RedisConnection}) sees the failures, and the next call connects afresh.
 */
final class EventLoopScripts implements ScriptCalls {
    /** What a command on the connection is: setup that must succeed, setup that may fail, or a call. */
    private enum Kind { REQUIRED_SETUP, OPTIONAL_SETUP, EVALSHA, EVAL }

    private record Sent(Kind kind, ScriptCall call, ByteBuffer command) {
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
        // made before the lock, which every thread that serves requests shares
        Sent item = new Sent(Kind.EVALSHA, call, command(Kind.EVALSHA, call));
        Link connecting = null;
        lock.lock();
        try {
            if (link == null) {
                link = new Link();
                connecting = link;
            }
            link.send(item);
        } finally {
            lock.unlock();
        }
        if (connecting != null) {
            connect(connecting);
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

    private ByteBuffer command(Kind kind, ScriptCall call) {
        return kind == Kind.EVAL ? Resp.command("EVAL", Arrays.asList(call.commandArguments(script.text())))
                : Resp.command("EVALSHA", Arrays.asList(call.commandArguments(script.sha())));
    }

    /**
     * One connection and the calls sent on it, in order. Until the connection is open, calls wait
     * in {@code unsent}; all state is guarded by the outer lock.
     */
    private final class Link implements SocketReader {
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private final List<Sent> unsent = new ArrayList<>();
        private SocketConnection connection;
        private boolean closed;

        /** Under the lock. */
        void send(Sent item) {
            if (connection == null) {
                unsent.add(item);
                return;
            }
            sent.add(item);
            connection.write(item.command());
        }

        /** Under the lock: whether the call still waits on this connection, sent or not. */
        boolean carries(ScriptCall call) {
            for (Sent item : sent) {
                if (item.call() == call) {
                    return true;
                }
            }
            for (Sent item : unsent) {
                if (item.call() == call) {
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
            lock.lock();
            try {
                if (!closed) {
                    connection = opened;
                    for (Setup command : setup) {
                        send(new Sent(command.required() ? Kind.REQUIRED_SETUP : Kind.OPTIONAL_SETUP, null,
                                command.command().duplicate()));
                    }
                    for (Sent item : unsent) {
                        // a call whose deadline passed while connecting is not sent at all
                        if (!item.call().result().isDone()) {
                            send(item);
                        }
                    }
                    unsent.clear();
                    return;
                }
            } finally {
                lock.unlock();
            }
            opened.close();
        }

        @Override
        public void onBytes(ByteBuffer bytes) {
            while (true) {
                Object reply = Resp.read(bytes);
                if (reply == Resp.INCOMPLETE) {
                    return;
                }
                Sent answered;
                lock.lock();
                try {
                    answered = sent.poll();
                    if (answered != null && answered.kind() == Kind.EVALSHA && reply instanceof Resp.ErrorReply error
                            && NoScript.is(error.message())) {
                        send(new Sent(Kind.EVAL, answered.call(), command(Kind.EVAL, answered.call())));
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
                if (answered == null) {
                    throw new IllegalStateException("Redis answered more than it was asked");
                }
                if (!answer(answered, reply)) {
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
            if (reply instanceof Resp.ErrorReply error) {
                answered.call().result().completeExceptionally(new IllegalStateException("Redis: " + error.message()));
            } else {
                answered.call().result().complete(reply);
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
                failed.addAll(unsent);
                sent.clear();
                unsent.clear();
                open = connection;
            } finally {
                lock.unlock();
            }
            if (open != null) {
                open.close();
            }
            for (Sent item : failed) {
                if (item.call() != null) {
                    item.call().result().completeExceptionally(failure);
                }
            }
        }
    }
}
