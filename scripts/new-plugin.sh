#!/usr/bin/env bash
# Scaffolds a Portico filter plugin as a standalone Maven project, outside this repository: the
# plugin compiles against io.portico:portico-plugin-api only and tests with the testkit.
#
#   scripts/new-plugin.sh NAME [DIRECTORY] [--package com.example.NAME] [--portico-version X]
#
# NAME is the filter's name in YAML: lower-case words joined by hyphens (say, greeting).
# DIRECTORY defaults to ./portico-plugin-NAME. Then:
#   cd portico-plugin-NAME && mvn -B verify     # builds target/NAME-1.0.0.jar, runs its test
#   cp target/NAME-1.0.0.jar <portico>/plugins/ # loaded at once by a running Portico
# The Portico artifacts must be in your Maven repository: from a Portico checkout,
#   mvn -B -DskipTests install
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

name="" directory="" package="" version=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage 0 ;;
    --package) package="$2"; shift 2 ;;
    --portico-version) version="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; usage 2 ;;
    *) if [ -z "$name" ]; then name="$1"; elif [ -z "$directory" ]; then directory="$1"; else usage 2; fi; shift ;;
  esac
done
[ -n "$name" ] || usage 2
if ! [[ "$name" =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]]; then
  echo "NAME must be lower-case words joined by hyphens, such as greeting or tenant-header" >&2; exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$version" ]; then
  version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$here/pom.xml" | head -1)"
fi
api_version="$(sed -n 's|.*<portico.api.version>\(.*\)</portico.api.version>.*|\1|p' "$here/pom.xml" | head -1)"
pf4j_version="$(sed -n 's|.*<pf4j.version>\(.*\)</pf4j.version>.*|\1|p' "$here/pom.xml" | head -1)"
junit_version="$(sed -n 's|.*<junit.version>\(.*\)</junit.version>.*|\1|p' "$here/pom.xml" | head -1)"
directory="${directory:-portico-plugin-$name}"
identifier="$(echo "$name" | tr -d '-')"
package="${package:-com.example.$identifier}"
class="$(echo "$name" | sed -E 's/(^|-)([a-z])/\U\2/g')Factory"
[ ! -e "$directory" ] || { echo "$directory already exists" >&2; exit 2; }

source_dir="$directory/src/main/java/${package//.//}"
test_dir="$directory/src/test/java/${package//.//}"
mkdir -p "$source_dir" "$test_dir"

cat > "$directory/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${package%.*}</groupId>
  <artifactId>$name</artifactId>
  <version>1.0.0</version>
  <name>Portico plugin $name</name>

  <properties>
    <maven.compiler.release>21</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <portico.version>$version</portico.version>
    <!-- the plugin API this plugin is built against: Portico refuses it when incompatible -->
    <portico.api.version>$api_version</portico.api.version>
    <pf4j.version>$pf4j_version</pf4j.version>
  </properties>

  <dependencies>
    <!-- provided: the gateway lends them; never put them in the plugin jar -->
    <dependency>
      <groupId>io.portico</groupId>
      <artifactId>portico-plugin-api</artifactId>
      <version>\${portico.version}</version>
      <scope>provided</scope>
    </dependency>
    <dependency>
      <groupId>org.pf4j</groupId>
      <artifactId>pf4j</artifactId>
      <version>\${pf4j.version}</version>
      <scope>provided</scope>
    </dependency>
    <dependency>
      <groupId>io.portico</groupId>
      <artifactId>portico-gateway-testkit</artifactId>
      <version>\${portico.version}</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>$junit_version</version>
      <scope>test</scope>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
        <configuration>
          <!-- javac 23+ runs PF4J's annotation processor only when asked: without it no
               META-INF/extensions.idx is written and Portico finds no filter in the jar -->
          <proc>full</proc>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.4</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-jar-plugin</artifactId>
        <version>3.4.2</version>
        <configuration>
          <archive>
            <manifestEntries>
              <Plugin-Id>$name</Plugin-Id>
              <Plugin-Version>\${project.version}</Plugin-Version>
              <Portico-Api-Version>\${portico.api.version}</Portico-Api-Version>
            </manifestEntries>
          </archive>
        </configuration>
      </plugin>
      <plugin>
        <!-- your own libraries (compile scope) go inside the plugin jar -->
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-shade-plugin</artifactId>
        <version>3.6.0</version>
        <executions>
          <execution>
            <phase>package</phase>
            <goals><goal>shade</goal></goals>
            <configuration>
              <createDependencyReducedPom>false</createDependencyReducedPom>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
EOF

cat > "$source_dir/$class.java" <<EOF
package $package;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import org.pf4j.Extension;

/**
 * {@code $name}: adds a header to every response of the routes that name it.
 *
 * <pre>
 * plugins:
 *   - name: $name
 *     config: { header: X-Greeting, value: hello }
 * </pre>
 */
@Extension
public final class $class implements FilterFactory<$class.Config> {

    /**
     * @param header the response header to set; default X-$class
     * @param value  its value
     */
    public record Config(String header, String value) {
        public Config {
            header = header == null ? "X-${class%Factory}" : header;
            InvalidConfigException.require(header.matches("[A-Za-z0-9-]+"), "header", "must be a header name");
            InvalidConfigException.require(value != null && !value.isBlank(), "value", "must be set");
        }
    }

    @Override
    public String name() {
        return "$name";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.TRANSFORM;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        // runs once per configuration load: prepare everything here, not per request
        String header = config.header();
        String value = config.value();
        return (exchange, chain) -> chain.proceed(exchange).withHeader(header, value);
    }
}
EOF

cat > "$test_dir/${class}Test.java" <<EOF
package $package;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.portico.testkit.TestGateway;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ${class}Test {

    @Test
    void theHeaderIsAddedToTheUpstreamsAnswer() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] body = "from the upstream".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        try (TestGateway gateway = TestGateway.builder()
                .yaml("""
                        routes:
                          - id: example
                            match: { paths: [/example/**] }
                            url: \${UPSTREAM}
                            plugins:
                              - name: $name
                                config: { header: X-Greeting, value: hello }
                        """)
                .env("UPSTREAM", "http://127.0.0.1:" + upstream.getAddress().getPort())
                .filters(new $class())
                .start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(gateway.uri("/example/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("from the upstream", response.body());
            assertEquals("hello", response.headers().firstValue("X-Greeting").orElse(null));
        } finally {
            upstream.stop(0);
        }
    }
}
EOF

echo "created $directory: plugin '$name' ($package.$class) for Portico $version, plugin API $api_version"
echo "next: cd $directory && mvn -B verify && cp target/$name-1.0.0.jar <portico>/plugins/"
