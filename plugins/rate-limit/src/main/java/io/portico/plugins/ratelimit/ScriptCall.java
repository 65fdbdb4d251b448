package io.portico.plugins.ratelimit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One request's script call, waiting in a batch: completed once, with Redis' answer or a failure. */
record ScriptCall(List<String> keys, List<String> arguments, CompletableFuture<Object> result, long deadlineNanos) {

    /** EVALSHA's or EVAL's arguments after the script or its digest: the key count, keys, arguments. */
    String[] commandArguments(String scriptOrDigest) {
        return commandArguments(scriptOrDigest, 1);
    }

    /**
     * {@link #commandArguments(String)} for {@code count} requests of these keys and arguments,
     * decided in one call: the count goes last when more than one.
     */
    String[] commandArguments(String scriptOrDigest, int count) {
        String[] all = new String[2 + keys.size() + arguments.size() + (count > 1 ? 1 : 0)];
        all[0] = scriptOrDigest;
        all[1] = Integer.toString(keys.size());
        int i = 2;
        for (String key : keys) {
            all[i++] = key;
        }
        for (String argument : arguments) {
            all[i++] = argument;
        }
        if (count > 1) {
            all[i] = Integer.toString(count);
        }
        return all;
    }
}
