package io.portico.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {
    final Request request = new Request("GET", "/users/42", "tenant=acme%20corp&evil=a%0Db",
            Headers.of("X-Region", "eu"), Body.empty());
    final Exchange exchange = Exchange.create("req-1", request, "10.0.0.7", false,
                    new MatchedRoute("users", "accounts", Map.of("id", "42")))
            .withConsumer(new Consumer("alice", Set.of("ops", "admin"), Map.of()));

    @Test
    void everyPlaceholderReadsItsFact() {
        Template template = Template.parse("{consumer.id}|{consumer.groups}|{path.id}|{header.X-Region}|{query.tenant}"
                + "|{route.id}|{route.upstream}|{request.id}|{client.address}");
        assertEquals("alice|admin,ops|42|eu|acme corp|users|accounts|req-1|10.0.0.7", template.render(exchange));
        assertFalse(template.isConstant());
    }

    @Test
    void missingValuesRenderAsNothing_andAQueryValueWithAControlCharacterIsMissing() {
        assertEquals("[][][]", Template.parse("[{path.nope}][{header.X-Nope}][{query.evil}]").render(exchange));
        Exchange anonymous = Exchange.create("req-2", request, "10.0.0.7", false, new MatchedRoute("users", Map.of()));
        assertEquals("nobody@route:users", Template.parse("{consumer.id}nobody@{route.upstream}").render(anonymous));
    }

    @Test
    void doubledBracesAreLiteral_andConstantTextIsKnownAsSuch() {
        Template constant = Template.parse("{{not a placeholder}}");
        assertTrue(constant.isConstant());
        assertEquals("{not a placeholder}", constant.render(exchange));
        assertEquals("", Template.parse("").render(exchange));
    }

    @Test
    void unknownOrUnclosedPlaceholdersAreRefusedWithWhatIsAllowed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Template.parse("{user.id}"));
        assertTrue(unknown.getMessage().contains("'{user.id}' is not a placeholder"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("{route.upstream}"), unknown.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> Template.parse("a{header.X"));
        assertTrue(open.getMessage().contains("never closes"), open.getMessage());
    }
}
