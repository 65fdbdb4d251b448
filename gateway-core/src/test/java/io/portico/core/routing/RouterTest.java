package io.portico.core.routing;

import static io.portico.core.routing.TestRoutes.found;
import static io.portico.core.routing.TestRoutes.get;
import static io.portico.core.routing.TestRoutes.methodNotAllowed;
import static io.portico.core.routing.TestRoutes.notFound;
import static io.portico.core.routing.TestRoutes.route;
import static io.portico.core.routing.TestRoutes.router;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    @Nested
    class Paths {
        @Test
        void exactPath_matchesOnlyThatPath() {
            Router<String> router = router(route("health").paths("/health"));
            found(get(router, null, "/health"), "health");
            notFound(get(router, null, "/health/x"));
            notFound(get(router, null, "/healthz"));
            notFound(get(router, null, "/"));
        }

        @Test
        void rootPath_isExactToo() {
            Router<String> router = router(route("root").paths("/"));
            found(get(router, null, "/"), "root");
            notFound(get(router, null, "/a"));
        }

        @Test
        void trailingSlash_isADifferentPath() {
            Router<String> router = router(route("slash").paths("/a/"), route("bare").paths("/a"));
            found(get(router, null, "/a/"), "slash");
            found(get(router, null, "/a"), "bare");
        }

        @Test
        void prefix_matchesItsRootAndEverythingBelow_onSegmentBoundaries() {
            Router<String> router = router(route("api").paths("/api/**"));
            assertEquals("/api", found(get(router, null, "/api"), "api").matchedPrefix());
            assertEquals("/api", found(get(router, null, "/api/"), "api").matchedPrefix());
            assertEquals("/api", found(get(router, null, "/api/orders/1"), "api").matchedPrefix());
            notFound(get(router, null, "/apix"));
            notFound(get(router, null, "/"));
        }

        @Test
        void noPaths_meansEveryPath() {
            Router<String> router = router(route("all"));
            RouteMatch.Found<String> root = found(get(router, null, "/"), "all");
            assertEquals("", root.matchedPrefix());
            assertEquals("", found(get(router, null, "/a/b/c"), "all").matchedPrefix());
        }

        @Test
        void exactAndTemplateMatches_reportTheWholePathAsMatchedPrefix() {
            Router<String> router = router(route("user").paths("/users/{id}"), route("me").paths("/me"));
            assertEquals("/users/7", found(get(router, null, "/users/7"), "user").matchedPrefix());
            assertEquals("/me", found(get(router, null, "/me"), "me").matchedPrefix());
        }

        @Test
        void templateVariable_matchesOneWholeNonEmptySegment() {
            Router<String> router = router(route("user").paths("/users/{id}"));
            assertEquals(Map.of("id", "42"), found(get(router, null, "/users/42"), "user").pathVariables());
            notFound(get(router, null, "/users/42/orders"));
            notFound(get(router, null, "/users/"));
            notFound(get(router, null, "/users"));
        }

        @Test
        void templateVariables_areReturnedAsThePathHoldsThem() {
            Router<String> router = router(route("item").paths("/shops/{shop}/items/{item}"));
            RouteMatch.Found<String> match = found(get(router, null, "/shops/café münchen/items/a+b%"), "item");
            assertEquals(Map.of("shop", "café münchen", "item", "a+b%"), match.pathVariables());
        }

        @Test
        void templateEndingInCatchAll_bindsVariablesAndMatchesBelow() {
            Router<String> router = router(route("files").paths("/users/{id}/files/**"));
            RouteMatch.Found<String> match = found(get(router, null, "/users/9/files/a/b.txt"), "files");
            assertEquals(Map.of("id", "9"), match.pathVariables());
            assertEquals("/users/9/files", match.matchedPrefix());
            found(get(router, null, "/users/9/files"), "files");
            notFound(get(router, null, "/users/9"));
        }

        @Test
        void aRouteWithSeveralPaths_matchesAny() {
            Router<String> router = router(route("multi").paths("/a", "/b/{x}", "/c/**"));
            found(get(router, null, "/a"), "multi");
            assertEquals(Map.of("x", "1"), found(get(router, null, "/b/1"), "multi").pathVariables());
            found(get(router, null, "/c/d/e"), "multi");
            notFound(get(router, null, "/d"));
        }

        @Test
        void routesWithDifferentVariableNames_shareATrieNodeButKeepTheirOwnNames() {
            Router<String> router = router(
                    route("orders").paths("/users/{userId}/orders"),
                    route("user").paths("/users/{id}"));
            assertEquals(Map.of("userId", "3"), found(get(router, null, "/users/3/orders"), "orders").pathVariables());
            assertEquals(Map.of("id", "3"), found(get(router, null, "/users/3"), "user").pathVariables());
        }

        @Test
        void walk_backtracksFromALiteralBranchToAVariableBranch() {
            Router<String> router = router(
                    route("literal").paths("/a/b/c"),
                    route("variable").paths("/a/{x}/d"));
            assertEquals(Map.of("x", "b"), found(get(router, null, "/a/b/d"), "variable").pathVariables());
            found(get(router, null, "/a/b/c"), "literal");
        }
    }

    @Nested
    class Specificity {
        @Test
        void exactBeatsTemplate_forSamePath() {
            Router<String> router = router(route("template").paths("/users/{id}"), route("exact").paths("/users/me"));
            found(get(router, null, "/users/me"), "exact");
            found(get(router, null, "/users/you"), "template");
        }

        @Test
        void templateBeatsPrefix_forSamePath() {
            Router<String> router = router(route("prefix").paths("/users/**"), route("template").paths("/users/{id}"));
            found(get(router, null, "/users/1"), "template");
            found(get(router, null, "/users/1/orders"), "prefix");
        }

        @Test
        void exactBeatsPrefix_forSamePath() {
            Router<String> router = router(route("prefix").paths("/**"), route("exact").paths("/health"));
            found(get(router, null, "/health"), "exact");
            found(get(router, null, "/other"), "prefix");
        }

        @Test
        void plainTemplateBeatsTemplateEndingInCatchAll() {
            Router<String> router = router(route("below").paths("/users/{id}/**"), route("one").paths("/users/{id}"));
            found(get(router, null, "/users/1"), "one");
            found(get(router, null, "/users/1/x"), "below");
        }

        @Test
        void templateEndingInCatchAll_beatsPlainPrefix() {
            Router<String> router = router(route("prefix").paths("/users/**"), route("below").paths("/users/{id}/**"));
            found(get(router, null, "/users/1/x"), "below");
            found(get(router, null, "/users"), "prefix");
        }

        @Test
        void longerPrefixBeatsShorterPrefix() {
            Router<String> router = router(
                    route("root").paths("/**"),
                    route("api").paths("/api/**"),
                    route("v1").paths("/api/v1/**"));
            found(get(router, null, "/api/v1/orders"), "v1");
            found(get(router, null, "/api/v2/orders"), "api");
            found(get(router, null, "/web"), "root");
        }

        @Test
        void moreLiteralCharactersWin_betweenTemplates() {
            Router<String> router = router(
                    route("two-vars").paths("/shops/{shop}/{what}"),
                    route("one-var").paths("/shops/{shop}/items"));
            found(get(router, null, "/shops/1/items"), "one-var");
            found(get(router, null, "/shops/1/staff"), "two-vars");
        }

        @Test
        void moreSegmentsWin_whenLiteralCharactersTie() {
            Router<String> router = router(
                    route("short").paths("/x/{a}/**"),
                    route("long").paths("/x/{a}/{b}/**"));
            found(get(router, null, "/x/1/2/3"), "long");
            found(get(router, null, "/x/1"), "short");
        }

        @Test
        void moreConditionsWin_whenPathsTie() {
            Router<String> router = router(
                    route("plain").paths("/a"),
                    route("get").paths("/a").methods("GET"),
                    route("get-json").paths("/a").methods("GET").header(HeaderCondition.equalTo("Accept", "application/json")));
            found(router.match(null, "GET", "/a", Headers.of("Accept", "application/json"), null), "get-json");
            found(router.match(null, "GET", "/a", Headers.empty(), null), "get");
            found(router.match(null, "POST", "/a", Headers.empty(), null), "plain");
        }

        @Test
        void fileOrderBreaksTies() {
            Router<String> router = router(route("first").paths("/a/{x}"), route("second").paths("/a/{y}"));
            found(get(router, null, "/a/1"), "first");
        }

        @Test
        void specificityBeatsFileOrder() {
            Router<String> router = router(route("catch-all").paths("/**"), route("users").paths("/users/{id}"));
            found(get(router, null, "/users/1"), "users");
        }

        @Test
        void aMoreSpecificRouteWhoseConditionsFail_givesWayToALessSpecificOne() {
            Router<String> router = router(
                    route("fallback").paths("/api/**"),
                    route("beta").paths("/api/orders").header(HeaderCondition.present("X-Beta")));
            found(router.match(null, "GET", "/api/orders", Headers.of("X-Beta", "1"), null), "beta");
            found(get(router, null, "/api/orders"), "fallback");
        }

        @Test
        void aRouteWithSeveralPaths_isRankedByThePathThatMatched() {
            Router<String> router = router(
                    route("broad").paths("/**", "/special"),
                    route("template").paths("/{x}"));
            found(get(router, null, "/special"), "broad");
            found(get(router, null, "/other"), "template");
        }
    }

    @Nested
    class Hosts {
        @Test
        void exactHostBeatsWildcard() {
            Router<String> router = router(
                    route("wild").hosts("*.example.com").paths("/**"),
                    route("exact").hosts("api.example.com").paths("/**"));
            found(get(router, "api.example.com", "/x"), "exact");
            found(get(router, "www.example.com", "/x"), "wild");
        }

        @Test
        void longerWildcardSuffixBeatsShorter() {
            Router<String> router = router(
                    route("short").hosts("*.example.com"),
                    route("long").hosts("*.eu.example.com"));
            found(get(router, "shop.eu.example.com", "/"), "long");
            found(get(router, "shop.us.example.com", "/"), "short");
            found(get(router, "eu.example.com", "/"), "short");
        }

        @Test
        void wildcardBeatsNoHostCondition() {
            Router<String> router = router(route("any").paths("/a"), route("wild").hosts("*.example.com").paths("/**"));
            found(get(router, "a.example.com", "/a"), "wild");
            found(get(router, "other.org", "/a"), "any");
        }

        @Test
        void hostOutranksPathSpecificity() {
            Router<String> router = router(route("exact-path").paths("/a"), route("host-prefix").hosts("h.io").paths("/**"));
            found(get(router, "h.io", "/a"), "host-prefix");
        }

        @Test
        void wildcard_needsAtLeastOneLabel_andMatchesAnyDepth() {
            Router<String> router = router(route("wild").hosts("*.example.com"));
            notFound(get(router, "example.com", "/"));
            notFound(get(router, "badexample.com", "/"));
            notFound(get(router, ".example.com", "/"));
            found(get(router, "a.example.com", "/"), "wild");
            found(get(router, "a.b.c.example.com", "/"), "wild");
        }

        @ParameterizedTest
        @ValueSource(strings = {"api.example.com", "API.Example.COM", "api.example.com:8443", "Api.Example.Com:80",
                "api.example.com."})
        void host_ignoresCaseAndPortAndAFinalDot(String host) {
            Router<String> router = router(route("api").hosts("api.example.com"), route("fallback"));
            found(get(router, host, "/"), "api");
        }

        @Test
        void hostPattern_ignoresCaseToo() {
            Router<String> router = router(route("api").hosts("API.Example.com"), route("wild").hosts("*.EXAMPLE.com"));
            found(get(router, "api.example.com", "/"), "api");
            found(get(router, "WWW.example.COM:9000", "/"), "wild");
        }

        @Test
        void ipv6Host_keepsItsBracketsAndLosesItsPort() {
            Router<String> router = router(route("v6").hosts("[::1]"), route("v4").hosts("127.0.0.1"), route("other"));
            found(get(router, "[::1]:8080", "/"), "v6");
            found(get(router, "[::1]", "/"), "v6");
            found(get(router, "127.0.0.1:8080", "/"), "v4");
        }

        @Test
        void unknownHost_fallsBackToRoutesWithoutHost() {
            Router<String> router = router(route("api").hosts("api.example.com").paths("/a"), route("any").paths("/b"));
            found(get(router, "api.example.com", "/b"), "any");
            notFound(get(router, "api.example.com", "/c"));
            notFound(get(router, "other.example.com", "/a"));
        }

        @Test
        void nullHost_matchesOnlyRoutesWithoutHost() {
            Router<String> router = router(route("api").hosts("api.example.com"), route("any").paths("/b"));
            found(get(router, null, "/b"), "any");
            notFound(get(router, null, "/a"));
        }

        @Test
        void severalHosts_eachMatch() {
            Router<String> router = router(route("multi").hosts("a.io", "*.b.io"));
            found(get(router, "a.io", "/"), "multi");
            found(get(router, "x.b.io", "/"), "multi");
            notFound(get(router, "b.io", "/"));
        }

        @Test
        void starHost_meansAnyHost() {
            Router<String> router = router(route("star").hosts("*"));
            found(get(router, "whatever.org", "/"), "star");
            found(get(router, null, "/"), "star");
        }
    }

    @Nested
    class Methods {
        @Test
        void methodMismatch_gives405WithTheAllowedMethodsOfEveryMatchingRoute() {
            Router<String> router = router(
                    route("read").paths("/orders/{id}").methods("GET", "HEAD"),
                    route("write").paths("/orders/{id}").methods("PUT", "DELETE"),
                    route("elsewhere").paths("/other").methods("PATCH"));
            methodNotAllowed(router.match(null, "POST", "/orders/1", Headers.empty(), null), "DELETE", "GET", "HEAD", "PUT");
            found(router.match(null, "DELETE", "/orders/1", Headers.empty(), null), "write");
        }

        @Test
        void methodNotAllowed_countsOnlyRoutesWhoseOtherConditionsHold() {
            Router<String> router = router(
                    route("admin").paths("/a").methods("DELETE").header(HeaderCondition.present("X-Admin")),
                    route("read").paths("/a").methods("GET"),
                    route("other-host").hosts("h.io").paths("/a").methods("PUT"));
            methodNotAllowed(router.match(null, "POST", "/a", Headers.empty(), null), "GET");
            methodNotAllowed(router.match(null, "POST", "/a", Headers.of("X-Admin", "y"), null), "DELETE", "GET");
        }

        @Test
        void aLessSpecificRouteThatAllowsTheMethod_beats405() {
            Router<String> router = router(route("read").paths("/users/{id}").methods("GET"), route("proxy").paths("/users/**"));
            found(router.match(null, "DELETE", "/users/1", Headers.empty(), null), "proxy");
        }

        @Test
        void noRouteForThePath_isNotFound_notMethodNotAllowed() {
            Router<String> router = router(route("read").paths("/a").methods("GET"));
            notFound(router.match(null, "POST", "/b", Headers.empty(), null));
        }

        @Test
        void notFound_isOneSharedInstance() {
            Router<String> router = router(route("a").paths("/a"));
            assertSame(get(router, null, "/x"), get(router, null, "/y"));
        }

        @Test
        void methods_areUpperCasedAtDeclaration() {
            Router<String> router = router(route("read").paths("/a").methods("get"));
            found(get(router, null, "/a"), "read");
            methodNotAllowed(router(route("r").methods("get")).match(null, "PUT", "/", null, null), "GET");
        }
    }

    @Nested
    class Conditions {
        @Test
        void headerEquals_comparesTheNameWithoutCaseAndTheValueExactly() {
            Router<String> router = router(route("json").header(HeaderCondition.equalTo("accept", "application/json")));
            found(router.match(null, "GET", "/", Headers.of("Accept", "application/json"), null), "json");
            notFound(router.match(null, "GET", "/", Headers.of("Accept", "Application/JSON"), null));
            notFound(router.match(null, "GET", "/", Headers.empty(), null));
        }

        @Test
        void headerCondition_holdsWhenAnyValueOfARepeatedHeaderSatisfiesIt() {
            Router<String> router = router(route("canary").header(HeaderCondition.equalTo("X-Flag", "canary")));
            Headers headers = Headers.of("X-Flag", "a", "x-flag", "canary");
            found(router.match(null, "GET", "/", headers, null), "canary");
        }

        @Test
        void headerRegex_mustMatchTheWholeValue() {
            Router<String> router = router(route("v2").header(HeaderCondition.matches("X-Version", "2\\.\\d+")));
            found(router.match(null, "GET", "/", Headers.of("X-Version", "2.13"), null), "v2");
            notFound(router.match(null, "GET", "/", Headers.of("X-Version", "12.1"), null));
            notFound(router.match(null, "GET", "/", Headers.of("X-Version", "2.1-beta"), null));
        }

        @Test
        void headerPresent_acceptsAnyValue() {
            Router<String> router = router(route("traced").header(HeaderCondition.present("traceparent")));
            found(router.match(null, "GET", "/", Headers.of("Traceparent", ""), null), "traced");
            notFound(router.match(null, "GET", "/", Headers.of("X-Other", "1"), null));
            notFound(router.match(null, "GET", "/", null, null));
        }

        @Test
        void everyConditionMustHold() {
            Router<String> router = router(route("both")
                    .header(HeaderCondition.present("A"))
                    .header(HeaderCondition.present("B"))
                    .query(QueryCondition.present("c")));
            found(router.match(null, "GET", "/", Headers.of("A", "1", "B", "2"), "c"), "both");
            notFound(router.match(null, "GET", "/", Headers.of("A", "1", "B", "2"), null));
            notFound(router.match(null, "GET", "/", Headers.of("A", "1"), "c"));
        }

        @Test
        void queryEquals_comparesDecodedValues() {
            Router<String> router = router(route("search").query(QueryCondition.equalTo("q", "a b/ü")));
            found(router.match(null, "GET", "/", null, "x=1&q=a%20b%2F%C3%BC"), "search");
            found(router.match(null, "GET", "/", null, "q=a+b/%C3%BC"), "search");
            notFound(router.match(null, "GET", "/", null, "q=ab"));
            notFound(router.match(null, "GET", "/", null, "Q=a+b/%C3%BC"));
        }

        @Test
        void queryPresent_acceptsAParameterWithoutValue() {
            Router<String> router = router(route("debug").query(QueryCondition.present("debug")));
            found(router.match(null, "GET", "/", null, "debug"), "debug");
            found(router.match(null, "GET", "/", null, "a=1&debug=&b"), "debug");
            notFound(router.match(null, "GET", "/", null, "debugger=1"));
            notFound(router.match(null, "GET", "/", null, null));
            notFound(router.match(null, "GET", "/", null, ""));
        }

        @Test
        void queryRegex_mustMatchTheWholeValue() {
            Router<String> router = router(route("page").query(QueryCondition.matches("page", "\\d{1,3}")));
            found(router.match(null, "GET", "/", null, "page=12"), "page");
            notFound(router.match(null, "GET", "/", null, "page=1234"));
            notFound(router.match(null, "GET", "/", null, "page=x1"));
        }

        @Test
        void malformedQueryEscape_isComparedAsSent() {
            Router<String> router = router(route("raw").query(QueryCondition.equalTo("q", "100%")));
            found(router.match(null, "GET", "/", null, "q=100%"), "raw");
        }

        @Test
        void badRegex_isRejectedAtDeclaration_namingTheCondition() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> HeaderCondition.matches("X-Version", "(unclosed"));
            assertTrue(error.getMessage().contains("X-Version"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> QueryCondition.matches("q", "[a-"));
        }

        @Test
        void presentCondition_dropsAnyValue_andOthersNeedOne() {
            assertEquals(null, new HeaderCondition("A", HeaderCondition.Kind.PRESENT, "ignored").value());
            assertThrows(NullPointerException.class, () -> new QueryCondition("a", QueryCondition.Kind.EQUALS, null));
        }
    }

    @Nested
    class BadDeclarations {
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', textBlock = """
                /users/{id           | unclosed '{'
                /users/id}           | '}' without '{'
                /api/**/x            | '**' must be the last segment
                /api**               | '*' is only allowed
                /api/*               | '*' is only allowed
                /a/{id}/b/{id}       | duplicate variable '{id}'
                users                | must start with '/'
                /users/x{id}         | a variable must be a whole segment
                /users/{}            | is not a variable name
                /users/{a b}         | is not a variable name
                /a//b                | empty segment
                """)
        void badPathPattern_isRejectedNamingTheRouteAndThePattern(String pattern, String reason) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> router(route("orders").paths("/ok", pattern)));
            assertTrue(error.getMessage().startsWith("route 'orders': bad path pattern '" + pattern + "'"), error.getMessage());
            assertTrue(error.getMessage().contains(reason), error.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"*.", "a.*.com", "**.example.com", "host:8080", "exa mple.com", "a..b", "", "*.[::1]"})
        void badHostPattern_isRejectedNamingTheRoute(String host) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> router(route("web").hosts(host)));
            assertTrue(error.getMessage().startsWith("route 'web': bad host pattern"), error.getMessage());
        }

        @Test
        void duplicateRouteId_isRejected() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> router(route("twice").paths("/a"), route("twice").paths("/b")));
            assertEquals("route 'twice': duplicate route id", error.getMessage());
        }

        @Test
        void badMethod_isRejectedNamingTheRoute() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> route("r").methods("GE T").spec());
            assertTrue(error.getMessage().startsWith("route 'r'"), error.getMessage());
        }

        @Test
        void routeSpec_copiesItsLists() {
            List<String> paths = new java.util.ArrayList<>(List.of("/a"));
            RouteSpec<String> spec = RouteSpec.of("r", paths, "r");
            paths.add("/b");
            assertEquals(List.of("/a"), spec.paths());
            assertEquals(1, Router.compile(List.of(spec)).size());
        }
    }
}
