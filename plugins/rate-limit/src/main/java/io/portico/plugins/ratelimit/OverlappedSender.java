package io.portico.plugins.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Sends batches to one Redis node on a connection of its own, writing the next batch before it
 * completes the calls of the last. Completing a call runs its request on (the rest of its filters,
 * then the start of the upstream call) on this thread, so with one batch in flight Redis waited
 * for all of that before it saw the next batch, and the requests that came meanwhile waited for
 * Redis' round trip after it: measured, the gateway's core stood idle while Redis had nothing to
 * do. Now Redis answers one batch while this thread runs the requests of the one before.
 *
 * <p>Answers come in the order the commands went out. A call Redis answers NOSCRIPT (a restarted
 * Redis, or a script flush) goes again at the head of the next batch as EVAL, which also makes
 * Redis keep the script for the EVALSHAs after it. When the connection fails, every call on it
 * fails, and the next batch connects again.
 */
final class OverlappedSender implements ScriptSender {
    private final Supplier<NodeConnection> connect;
    private final LuaScript script;
    private NodeConnection connection;

    OverlappedSender(Supplier<NodeConnection> connect, LuaScript script) {
        this.connect = connect;
        this.script = script;
    }

    @Override
    public void send(List<ScriptCall> batch, Supplier<List<ScriptCall>> more) {
        List<ScriptCall> sent = batch;
        int sentWithScript = 0;
        if (!write(sent, sentWithScript)) {
            return;
        }
        while (true) {
            Object[] answers = new Object[sent.size()];
            try {
                for (int i = 0; i < answers.length; i++) {
                    answers[i] = readAnswer();
                }
            } catch (RuntimeException failure) {
                fail(sent, failure);
                close();
                return;
            }
            List<ScriptCall> unknownScript = unknownScript(sent, answers, sentWithScript);
            List<ScriptCall> following = unknownScript.isEmpty() ? more.get() : concat(unknownScript, more.get());
            boolean written = following.isEmpty() || write(following, unknownScript.size());
            complete(sent, answers, sentWithScript);
            if (!written || following.isEmpty()) {
                return;
            }
            sent = following;
            sentWithScript = unknownScript.size();
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** Writes the calls, the first {@code withScript} of them as EVAL; fails them all when it cannot. */
    private boolean write(List<ScriptCall> calls, int withScript) {
        try {
            if (connection == null) {
                connection = connect.get();
            }
            for (int i = 0; i < calls.size(); i++) {
                ScriptCall call = calls.get(i);
                if (i < withScript) {
                    connection.sendCommand(Protocol.Command.EVAL, call.commandArguments(script.text()));
                } else {
                    connection.sendCommand(Protocol.Command.EVALSHA, call.commandArguments(script.sha()));
                }
            }
            connection.sendBuffered();
            return true;
        } catch (RuntimeException failure) {
            fail(calls, failure);
            close();
            return false;
        }
    }

    /** The next answer; an error reply (a complete answer, the connection stays usable) is the exception. */
    private Object readAnswer() {
        try {
            return connection.getOne();
        } catch (JedisDataException error) {
            return error;
        }
    }

    private static List<ScriptCall> unknownScript(List<ScriptCall> sent, Object[] answers, int sentWithScript) {
        List<ScriptCall> unknown = List.of();
        for (int i = sentWithScript; i < answers.length; i++) {
            if (answers[i] instanceof JedisDataException error && NoScript.is(error)) {
                if (unknown.isEmpty()) {
                    unknown = new ArrayList<>();
                }
                unknown.add(sent.get(i));
            }
        }
        return unknown;
    }

    private static void complete(List<ScriptCall> sent, Object[] answers, int sentWithScript) {
        for (int i = 0; i < answers.length; i++) {
            Object answer = answers[i];
            if (answer instanceof JedisDataException error) {
                if (i >= sentWithScript && NoScript.is(error)) {
                    continue; // sent again with the script
                }
                sent.get(i).result().completeExceptionally(error);
            } else {
                sent.get(i).result().complete(answer);
            }
        }
    }

    private static List<ScriptCall> concat(List<ScriptCall> first, List<ScriptCall> second) {
        List<ScriptCall> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }

    private static void fail(List<ScriptCall> calls, RuntimeException failure) {
        calls.forEach(call -> call.result().completeExceptionally(failure));
    }
}
