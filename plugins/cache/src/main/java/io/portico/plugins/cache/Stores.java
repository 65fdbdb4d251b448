package io.portico.plugins.cache;

import io.portico.api.PluginContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The named stores of one loaded plugin. They outlive the filters (which a reload re-creates), so
 * a reload keeps what is cached.
 */
final class Stores {
    private final ConcurrentMap<String, CacheStore> byName = new ConcurrentHashMap<>();

    /**
     * The store of this name, made on first use. Every filter naming it sets its bound: the one
     * created last wins, so give one {@code max-size} wherever a store is named.
     */
    CacheStore named(String name, long maxBytes, PluginContext context) {
        CacheStore store = byName.computeIfAbsent(name, n -> new CacheStore(maxBytes, context.clock()));
        if (store.resize(maxBytes)) {
            context.logger().log(System.Logger.Level.WARNING,
                    "cache store ''{0}'' is now bounded to {1} bytes: give the same max-size wherever it is named",
                    name, maxBytes);
        }
        return store;
    }
}
