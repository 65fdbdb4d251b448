package io.portico.plugins.ratelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.PluginJars;
import io.portico.testkit.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built jar, dropped in a plugins folder, is found by PF4J and limits, locally and on Redis. */
class RateLimitIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (RedisServer redis = RedisServer.start();
             TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: local
                    match: { paths: [/local/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: rate-limit
                        config: { key: [client-ip], limits: [{ requests: 3, per: 1h }] }
                  - id: shared
                    match: { paths: [/shared/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: rate-limit
                        config: { policy: redis, redis: { url: "${REDIS}" }, key: [client-ip], limits: [{ requests: 3, per: 1h }] }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port()).env("REDIS", redis.url())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 3, 429, 7), calls.concurrently(10, "/local/a"));
            assertEquals(Map.of(200, 3, 429, 7), calls.concurrently(10, "/shared/a"));
        } finally {
            backend.stop();
        }
    }
}
