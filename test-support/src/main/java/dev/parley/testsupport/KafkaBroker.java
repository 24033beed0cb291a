package dev.parley.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker (KRaft, combined broker and controller) in this JVM, started once and shared by
 * every test of the JVM: starting a broker costs seconds, topics are cheap.
 */
public final class KafkaBroker {

    private static KafkaClusterTestKit cluster;

    private KafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                var nodes = new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
                var kit = new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("num.partitions", "4")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "4")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .build();
                // A broker shutting down at JVM exit may call Kafka's Exit.halt/exit on a late fault (e.g. a checkpoint
                // into its already deleted temporary directory), which would turn a test JVM that passed into a
                // failed fork. The test broker never decides how the JVM ends.
                org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> { });
                org.apache.kafka.common.utils.Exit.setExitProcedure((status, message) -> { });
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
                cluster = kit;
                Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stop, "kafka-test-broker-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the in-JVM Kafka broker", e);
            }
        }
        return cluster.bootstrapServers();
    }

    private static synchronized void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // the JVM is exiting; the broker's files are in a temporary directory
            }
            cluster = null;
        }
    }
}
