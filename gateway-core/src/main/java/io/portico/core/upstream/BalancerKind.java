package io.portico.core.upstream;

/** Placeholder until the upstream package lands. */
public enum BalancerKind { ROUND_ROBIN, LEAST_REQUESTS, CONSISTENT_HASH }
