package io.portico.plugins.iprestriction;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.ProblemException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code ip-restriction}: lets a client through only when its address is in an {@code allow}
 * range (when any are given) and in no {@code deny} range; deny wins. The address is the one the
 * gateway settled on: the connection's peer, or the {@code X-Forwarded-For} hop the gateway
 * believes when the peer is one of {@code server.trusted-proxies}, so a client cannot choose its
 * own address by sending the header.
 */
@Extension
public final class IpRestrictionFactory implements FilterFactory<IpRestrictionFactory.Config> {

    /**
     * @param allow  addresses or CIDR ranges let through; empty lets everyone not denied through
     * @param deny   addresses or CIDR ranges refused
     * @param status the status for a refused client; default 403
     */
    public record Config(List<String> allow, List<String> deny, Integer status) {
        public Config {
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
            status = status == null ? 403 : status;
            InvalidConfigException.require(!allow.isEmpty() || !deny.isEmpty(), "allow",
                    "give allow or deny ranges (or both)");
            InvalidConfigException.require(status >= 400 && status <= 599, "status", "must be a 4xx or 5xx status");
            check(allow, "allow");
            check(deny, "deny");
        }

        private static void check(List<String> ranges, String field) {
            for (String range : ranges) {
                try {
                    AddressRange.parse(range);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException(field, e.getMessage());
                }
            }
        }
    }

    @Override
    public String name() {
        return "ip-restriction";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.EDGE;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        AddressRange[] allow = config.allow().stream().map(AddressRange::parse).toArray(AddressRange[]::new);
        AddressRange[] deny = config.deny().stream().map(AddressRange::parse).toArray(AddressRange[]::new);
        int status = config.status();
        NonBlockingFilter filter = (exchange, chain) -> {
            byte[] address = AddressRange.literal(exchange.clientAddress());
            if (address == null || matches(deny, address) || (allow.length > 0 && !matches(allow, address))) {
                throw new ProblemException(status, "CLIENT_ADDRESS_REFUSED", status == 403 ? "Forbidden" : "Refused",
                        "requests from " + exchange.clientAddress() + " are not allowed on this route");
            }
            return chain.proceed(exchange);
        };
        return filter;
    }

    private static boolean matches(AddressRange[] ranges, byte[] address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
