package dev.parley.tools.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing on free ports: PostgreSQL and Kafka start, serve the parley role and its databases, stop, and
 * start again with their data (a topic with its records, a table with its rows) still there.
 */
class LocalInfraTest {

    @TempDir
    static Path logs;

    @BeforeAll
    static void quietKafka() throws Exception {
        InfraLogging.install(logs.resolve("kafka.log"), false);
    }

    @Test
    void startsStopsAndKeepsDataAcrossRestarts(@TempDir Path state) throws Exception {
        var ports = freePorts(3);
        var options = InfraOptions.parse("--state", state.toString(), "--kafka-port", ports.get(0).toString(),
                "--controller-port", ports.get(1).toString(), "--postgres-port", ports.get(2).toString());

        var first = new LocalInfra(options);
        try {
            first.start();
            try (Admin admin = admin(options)) {
                admin.createTopics(List.of(new NewTopic("kept", Optional.empty(), Optional.empty()))).all()
                        .get(30, TimeUnit.SECONDS);
                var topic = admin.describeTopics(List.of("kept")).allTopicNames().get(30, TimeUnit.SECONDS).get("kept");
                assertEquals(8, topic.partitions().size(), "num.partitions=8");
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", options.kafkaBootstrap(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "v1")).get(30, TimeUnit.SECONDS);
                // auto.create.topics.enable=true
                producer.send(new ProducerRecord<>("auto-created", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            for (String database : LocalPostgres.DATABASES) {
                try (var c = DriverManager.getConnection(jdbcUrl(options, database), "parley", "parley");
                        var s = c.createStatement()) {
                    s.execute("CREATE TABLE kept (note text)");
                    s.execute("INSERT INTO kept VALUES ('" + database + "')");
                }
            }
            // One LocalInfra per state directory.
            assertThrows(LocalInfra.InUseException.class, () -> new LocalInfra(options).start());
        } finally {
            first.stop();
        }
        assertTrue(LocalInfra.isFree(options.kafkaPort()) && LocalInfra.isFree(options.postgresPort()),
                "stop() frees the ports");

        var second = new LocalInfra(options);
        try {
            second.start();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", options.kafkaBootstrap(),
                    "group.id", "test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("kept"));
                var values = new ArrayList<String>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach((ConsumerRecord<String, String> r) -> values.add(r.value()));
                }
                assertEquals(List.of("v1"), values, "the record survives a restart");
            }
            try (Admin admin = admin(options)) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("auto-created"));
            }
            for (String database : LocalPostgres.DATABASES) {
                try (var c = DriverManager.getConnection(jdbcUrl(options, database), "parley", "parley");
                        var s = c.createStatement();
                        var rs = s.executeQuery("SELECT note FROM kept")) {
                    assertTrue(rs.next(), "the row survives a restart");
                    assertEquals(database, rs.getString(1));
                }
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void refusesATakenPort(@TempDir Path state) throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(InfraOptions.HOST), 0));
            var ports = freePorts(2);
            var options = InfraOptions.parse("--state", state.toString(), "--kafka-port", ports.get(0).toString(),
                    "--controller-port", ports.get(1).toString(), "--postgres-port", String.valueOf(taken.getLocalPort()));
            var infra = new LocalInfra(options);
            try {
                var e = assertThrows(LocalInfra.InUseException.class, infra::start);
                assertTrue(e.getMessage().contains(taken.getLocalPort() + " (PostgreSQL)"), e.getMessage());
            } finally {
                infra.stop();
            }
            assertFalse(LocalInfra.isFree(taken.getLocalPort()));
        }
    }

    private static Admin admin(InfraOptions options) {
        return Admin.create(Map.of("bootstrap.servers", options.kafkaBootstrap()));
    }

    private static String jdbcUrl(InfraOptions options, String database) {
        return "jdbc:postgresql://" + options.postgresAddress() + "/" + database;
    }

    private static List<Integer> freePorts(int count) throws Exception {
        var sockets = new ArrayList<ServerSocket>();
        try {
            var ports = new ArrayList<Integer>();
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket(0, 1, InetAddress.getByName(InfraOptions.HOST));
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
    }
}
