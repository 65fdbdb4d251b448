package io.portico.core.upstream;

/** Placeholder until the upstream package lands. */
public final class Target {
    private final TargetSpec spec;

    Target(TargetSpec spec) {
        this.spec = spec;
    }

    public TargetSpec spec() {
        return spec;
    }

    public boolean isAvailable() {
        return true;
    }

    public int inFlight() {
        return 0;
    }

    public String address() {
        return spec.host() + ":" + spec.port();
    }

    public String baseUri() {
        return spec.scheme() + "://" + address();
    }
}
