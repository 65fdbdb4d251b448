package io.portico.plugins.ratelimit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One request's script call, waiting in a batch: completed once, with Redis' answer or a failure. */
record ScriptCall(List<String> keys, List<String> arguments, CompletableFuture<Object> result, long deadlineNanos) {

    /** EVALSHA's or EVAL's arguments after the script or its digest: the key count, keys, arguments. */
    String[] commandArguments(String scriptOrDigest) {
        String[] all = new String[2 + keys.size() + arguments.size()];
        all[0] = scriptOrDigest;
        all[1] = Integer.toString(keys.size());
        int i = 2;
        for (String key : keys) {
            all[i++] = key;
        }
        for (String argument : arguments) {
            all[i++] = argument;
        }
        return all;
    }
}
