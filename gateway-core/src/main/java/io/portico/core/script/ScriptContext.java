package io.portico.core.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * A script's context with the prelude's two entry functions, looked up once when the context is
 * made rather than by name on every call (the prelude defines them read-only, so they stay valid
 * for the context's life).
 */
record ScriptContext(Context context, Value onRequest, Value onResponse) {
    static ScriptContext of(Context context) {
        Value bindings = context.getBindings("js");
        return new ScriptContext(context, bindings.getMember("__portico_onRequest"),
                bindings.getMember("__portico_onResponse"));
    }
}
