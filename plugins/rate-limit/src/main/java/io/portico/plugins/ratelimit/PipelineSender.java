package io.portico.plugins.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Sends each batch as one Jedis pipeline and waits for all its answers before the next: for a
 * Sentinel-managed primary or a cluster, where Jedis' client finds the node (and follows a
 * fail-over or a slot move). One batch is in flight at a time.
 */
final class PipelineSender implements ScriptSender {
    private final Supplier<UnifiedJedis> client;
    private final LuaScript script;

    PipelineSender(Supplier<UnifiedJedis> client, LuaScript script) {
        this.client = client;
        this.script = script;
    }

    @Override
    public void send(List<ScriptCall> batch, Supplier<List<ScriptCall>> more) {
        List<ScriptCall> unknownScript = sendOnce(batch);
        if (unknownScript.isEmpty()) {
            return;
        }
        // a Redis that restarted (or never saw the script) answers NOSCRIPT: load it once, send those again
        try {
            client.get().scriptLoad(script.text());
        } catch (RuntimeException failure) {
            unknownScript.forEach(call -> call.result().completeExceptionally(failure));
            return;
        }
        sendOnce(unknownScript).forEach(call -> call.result().completeExceptionally(
                new IllegalStateException("Redis does not keep the rate-limit script")));
    }

    @Override
    public void close() {
        // the client's pool closes idle connections itself
    }

    /** @return the calls Redis answered NOSCRIPT; every other call is completed */
    private List<ScriptCall> sendOnce(List<ScriptCall> batch) {
        List<Response<Object>> answers = new ArrayList<>(batch.size());
        try (AbstractPipeline pipeline = client.get().pipelined()) {
            for (ScriptCall call : batch) {
                answers.add(pipeline.evalsha(script.sha(), call.keys(), call.arguments()));
            }
            pipeline.sync();
        } catch (RuntimeException failure) {
            batch.forEach(call -> call.result().completeExceptionally(failure));
            return List.of();
        }
        List<ScriptCall> unknownScript = new ArrayList<>(0);
        for (int i = 0; i < batch.size(); i++) {
            ScriptCall call = batch.get(i);
            try {
                call.result().complete(answers.get(i).get());
            } catch (JedisDataException error) {
                if (NoScript.is(error)) {
                    unknownScript.add(call);
                } else {
                    call.result().completeExceptionally(error);
                }
            } catch (RuntimeException failure) {
                call.result().completeExceptionally(failure);
            }
        }
        return unknownScript;
    }
}
