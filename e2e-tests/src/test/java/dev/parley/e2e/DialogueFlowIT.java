package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.parley.testsupport.KafkaBroker;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A bot with flows, imported through the bot admin API and run through the public API: slot filling, a
 * confirmation, a signed fulfillment call to the tenant's order system, a bot-defined event on Kafka, an outage of
 * that system answered by the fallback, and a human handoff during which the bot stays silent.
 */
class DialogueFlowIT {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("e2e-fulfillment-secret-32-bytes!!"
            .getBytes(StandardCharsets.UTF_8));

    record Call(Map<String, String> headers, String body) {
    }

    static Stack stack;
    static HttpServer orders;
    static final List<Call> calls = new CopyOnWriteArrayList<>();
    static volatile int ordersStatus = 200;

    @BeforeAll
    static void start() throws IOException {
        stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
        orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/orders", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(new Call(Map.of("id", exchange.getRequestHeaders().getFirst("webhook-id"),
                    "timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    "signature", exchange.getRequestHeaders().getFirst("webhook-signature")), body));
            byte[] answer = ordersStatus == 200
                    ? "{\"status\":\"shipped\",\"tracking\":\"TRK-42\"}".getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ordersStatus, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        orders.start();
        String yaml = Files.readString(Stack.root().resolve("dialogue-service/src/test/resources/bots/shop.yaml"))
                .replace("http://127.0.0.1:1/orders", "http://127.0.0.1:" + orders.getAddress().getPort() + "/orders")
                .replace("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SECRET);
        api().contentType("application/yaml").queryParam("publish", true).body(yaml.getBytes(StandardCharsets.UTF_8)).post("/v1/bots")
                .then().statusCode(201);
    }

    @AfterAll
    static void stop() {
        orders.stop(0);
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + stack.apiKey).contentType("application/json");
    }

    static JsonPath say(String sessionId, String text) {
        return api().body(Map.of("sessionId", sessionId, "text", text)).post("/v1/messages")
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath openShopSession(String user) {
        return api().body(Map.of("userId", user, "botId", "shop")).post("/v1/sessions").then().statusCode(201)
                .extract().jsonPath();
    }

    @Test
    void anInvalidDefinitionIsRefusedWithEveryErrorAndStoresNothing() {
        var problem = api().contentType("application/yaml")
                .body("id: broken\nintents:\n  ask: { examples: [x] }\nflows:\n  f: { trigger: nope, steps: [ { ask: missing } ] }\n"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/v1/bots").then().statusCode(400).contentType("application/problem+json").extract().jsonPath();
        assertEquals("validation_failed", problem.getString("code"));
        var fields = problem.getList("errors.field");
        assertTrue(fields.containsAll(List.of("intents.ask.responses", "flows.f.trigger", "flows.f.steps[0].ask")),
                fields.toString());
        api().get("/v1/bots/broken").then().statusCode(404);
        api().contentType("application/yaml").body("id: [unclosed".getBytes(StandardCharsets.UTF_8)).post("/v1/bots").then().statusCode(400);
    }

    @Test
    void exportsTheBotWithoutItsSecretsAndVersionsDrafts() {
        String exported = api().accept("application/yaml").get("/v1/bots/shop/export").then().statusCode(200)
                .extract().asString();
        assertTrue(exported.contains("check_order"), exported);
        assertTrue(!exported.contains("whsec_"), "the signing secret is not exported");
        var draft = api().contentType("application/yaml").body(exported.getBytes(StandardCharsets.UTF_8)).put("/v1/bots/shop").then().statusCode(201)
                .extract().jsonPath();
        assertEquals("draft", draft.getString("status"));
        var bot = api().get("/v1/bots/shop").then().statusCode(200).extract().jsonPath();
        assertEquals(draft.getInt("version"), bot.getInt("latestVersion"));
        assertTrue(bot.getInt("publishedVersion") < draft.getInt("version"), "a draft is not published");
    }

    @Test
    void anOrderLookupFillsSlotsConfirmsCallsTheSignedEndpointAndAnnouncesTheEvent() throws Exception {
        calls.clear();
        ordersStatus = 200;
        try (var events = dialogueEvents()) {
            var session = openShopSession("ada");
            String sessionId = session.getString("sessionId");
            String conversationId = session.getString("conversationId");

            var first = say(sessionId, "where is my order");
            assertEquals("order_status", first.getString("intent.name"));
            assertEquals("What's your order number? It looks like AB123456.", first.getString("reply"));
            assertEquals("check_order", first.getString("metadata.flow"));

            assertEquals("Which email address did you order with?", say(sessionId, "it is AB123456").getString("reply"));
            var confirm = say(sessionId, "ada@example.com");
            assertEquals("Shall I look up order AB123456 for ada@example.com?", confirm.getString("reply"));
            assertEquals(List.of("Yes", "No"), confirm.getList("quickReplies.title"));

            var done = say(sessionId, "yes");
            assertEquals("Good news there: it shipped, tracking TRK-42.", done.getString("reply"));
            assertEquals("resolved", done.getString("metadata.outcome"));

            assertEquals(1, calls.size());
            var call = calls.get(0);
            assertTrue(verify(SECRET, call.headers().get("id"), call.headers().get("timestamp"), call.body(),
                    call.headers().get("signature")), "the fulfillment call carries a valid Standard Webhooks signature");
            var payload = new ObjectMapper().readValue(call.body(), Map.class);
            assertEquals(Map.of("order_number", "AB123456", "email", "ada@example.com"), payload.get("slots"));
            assertEquals(conversationId, payload.get("conversationId"));

            var received = until(events, conversationId, e -> e.path("type").asText().equals("order.checked"));
            assertEquals("AB123456", received.path("data").path("order_number").asText());
            assertEquals("shop", received.path("botId").asText());
            until(events, conversationId, e -> e.path("type").asText().equals("intent.detected")
                    && e.path("data").path("intent").asText().equals("order_status"));
        }
    }

    @Test
    void anOrderSystemOutageIsAnsweredByTheFallbackAndAHuman() {
        ordersStatus = 500;
        var session = openShopSession("bob");
        String sessionId = session.getString("sessionId");
        say(sessionId, "track my order CD654321");
        say(sessionId, "bob@example.com");
        var failed = say(sessionId, "yes");
        assertEquals(List.of("Our order system is not answering right now.",
                "Let me get a colleague to look at order CD654321."), failed.getList("messages.text"));
        assertEquals("handoff", failed.getString("metadata.status"));
        ordersStatus = 200;
    }

    @Test
    void duringAHandoffTheBotIsSilentUntilReleased() throws Exception {
        try (var events = dialogueEvents()) {
            var session = openShopSession("carol");
            String sessionId = session.getString("sessionId");
            String conversationId = session.getString("conversationId");
            assertEquals("We're open 9 to 5, Monday to Friday.", say(sessionId, "when are you open").getString("reply"));

            api().body(Map.of("reason", "customer asked for an agent")).post("/v1/conversations/" + conversationId + "/handoff")
                    .then().statusCode(200);
            until(events, conversationId, e -> e.path("type").asText().equals("handoff.requested")
                    && e.path("data").path("reason").asText().equals("customer asked for an agent"));
            assertEquals("handoff", api().get("/v1/conversations/" + conversationId + "/dialogue").then()
                    .statusCode(200).extract().jsonPath().getString("status"));

            var silent = say(sessionId, "hello? anyone?");
            assertEquals(List.of(), silent.getList("messages"));
            assertEquals("handoff", silent.getString("metadata.status"));

            api().delete("/v1/conversations/" + conversationId + "/handoff").then().statusCode(200);
            until(events, conversationId, e -> e.path("type").asText().equals("handoff.released"));
            assertEquals("We're open 9 to 5, Monday to Friday.", say(sessionId, "opening hours").getString("reply"));
        }
    }

    @Test
    void anotherTenantCannotSeeOrHandOffTheConversation() throws Exception {
        var session = openShopSession("dave");
        String conversationId = session.getString("conversationId");
        say(session.getString("sessionId"), "hello");
        String other = stack.createTenant("flowco-" + UUID.randomUUID().toString().substring(0, 8));
        given().header("Authorization", "Bearer " + other).contentType("application/json").body(Map.of())
                .post("/v1/conversations/" + conversationId + "/handoff").then().statusCode(404);
        given().header("Authorization", "Bearer " + other).get("/v1/conversations/" + conversationId + "/dialogue")
                .then().statusCode(404);
        given().header("Authorization", "Bearer " + other).get("/v1/bots/shop").then().statusCode(404);
    }

    @Test
    void aBotWithAModelAnswersWhatItsIntentsDoNotCoverAndFallsBackWhenTheProviderIsDown() throws Exception {
        var llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var requests = new CopyOnWriteArrayList<String>();
        var up = new java.util.concurrent.atomic.AtomicBoolean(true);
        llm.createContext("/v1/chat/completions", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = up.get() ? """
                    {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
                    "message":{"role":"assistant","content":"Gift cards can be used online and in any of our shops."},
                    "finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":12,"total_tokens":32}}"""
                    .getBytes(StandardCharsets.UTF_8) : "{\"error\":{\"message\":\"overloaded\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(up.get() ? 200 : 503, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        llm.start();
        try {
            String bot = """
                    id: assistant
                    fallback: { responses: [ "Sorry, I can't help with that." ] }
                    intents:
                      greeting: { examples: [ "hello", "hi there" ], responses: [ "Hello!" ] }
                    models:
                      endpoints:
                        gpt: { provider: openai, model: gpt-4o, baseUrl: "http://127.0.0.1:%d/v1", timeoutMillis: 2000 }
                      tasks:
                        answer-generation: [ gpt ]
                    """.formatted(llm.getAddress().getPort());
            api().contentType("application/yaml").queryParam("publish", true).body(bot.getBytes(StandardCharsets.UTF_8))
                    .post("/v1/bots").then().statusCode(201);
            var session = api().body(Map.of("userId", "erin", "botId", "assistant")).post("/v1/sessions").then()
                    .statusCode(201).extract().jsonPath();
            String sessionId = session.getString("sessionId");

            var answered = say(sessionId, "can I use gift cards online?");
            assertEquals("Gift cards can be used online and in any of our shops.", answered.getString("reply"));
            assertEquals("openai:gpt-4o", answered.getString("metadata.generatedBy"));
            assertEquals("fallback", answered.getString("intent.name"));
            var sent = new ObjectMapper().readTree(requests.get(0));
            assertEquals("gpt-4o", sent.path("model").asText());
            assertEquals("can I use gift cards online?", sent.path("messages").get(sent.path("messages").size() - 1)
                    .path("content").asText());

            up.set(false);
            var fellBack = say(sessionId, "do you sell gift cards?");
            assertEquals("Sorry, I can't help with that.", fellBack.getString("reply"));
            assertTrue(fellBack.getString("metadata.generatedBy") == null, "no model answered");
        } finally {
            llm.stop(0);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    static boolean verify(String secret, String id, String timestamp, String body, String header) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return List.of(header.split(" ")).contains(expected);
    }

    static KafkaConsumer<String, String> dialogueEvents() {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of("parley.dialogue.events"));
        return consumer;
    }

    static final List<com.fasterxml.jackson.databind.JsonNode> seen = new ArrayList<>();

    static com.fasterxml.jackson.databind.JsonNode until(KafkaConsumer<String, String> consumer, String conversationId,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> wanted) {
        var mapper = new ObjectMapper();
        var found = new com.fasterxml.jackson.databind.JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (var record : consumer.poll(Duration.ofMillis(200))) {
                if (!conversationId.equals(record.key())) {
                    continue;
                }
                var event = mapper.readTree(record.value());
                assertNotNull(record.headers().lastHeader("ce_type"), "events are CloudEvents");
                synchronized (seen) {
                    seen.add(event);
                }
            }
            synchronized (seen) {
                for (var event : seen) {
                    if (conversationId.equals(event.path("conversationId").asText()) && wanted.test(event)) {
                        found[0] = event;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
