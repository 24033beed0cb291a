package dev.parley.tools.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stack's infrastructure, run by {@code ./parley up} and kept running until SIGTERM (or Ctrl-C):
 * <ul>
 * <li>PostgreSQL 17 (zonky embedded binaries) on 127.0.0.1:25432, data in {@code <state>/postgres}, with the role
 * {@code parley}/{@code parley} and one database per service;</li>
 * <li>Kafka 4.1 in KRaft combined mode (broker and controller, node 1) inside this JVM, PLAINTEXT on
 * 127.0.0.1:29092 and the controller on 127.0.0.1:29093, data in {@code <state>/kafka}.</li>
 * </ul>
 * Both keep their data across restarts. The console gets one line per step and then
 * {@code READY kafka=127.0.0.1:29092 postgres=127.0.0.1:25432}, which the script waits for; Kafka's and zonky's
 * own logging goes to {@code <state>/logs/kafka.log} (WARN and above), the PostgreSQL server's to
 * {@code <state>/logs/postgres.log}. A shutdown hook stops Kafka, then PostgreSQL.
 *
 * <p>Why Kafka runs in this JVM rather than in a child JVM: one process to start, watch and stop, no second class
 * path, and the broker is the very {@code KafkaRaftServer} that {@code kafka-server-start.sh} runs. PostgreSQL is
 * necessarily a process of its own (see {@link LocalPostgres}). If a port is taken, or another LocalInfra already
 * uses the state directory, it says so and exits with code 3 before starting anything.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when a start fails, 2 for a bad command line, 3 when a port or the state
 * directory is already in use.
 */
public final class LocalInfra {

    private static final Logger LOG = Logger.getLogger(LocalInfra.class.getName());
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final InfraOptions options;
    private final LocalPostgres postgres;
    private final LocalKafka kafka;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private FileChannel lockChannel;
    private FileLock stateLock;
    private volatile boolean ready;

    LocalInfra(InfraOptions options) {
        this.options = options;
        this.postgres = new LocalPostgres(options.state().resolve("postgres"), options.logs().resolve("postgres.log"),
                options.postgresPort(), LocalInfra::step);
        this.kafka = new LocalKafka(options.state().resolve("kafka"), options.kafkaPort(), options.controllerPort(),
                LocalInfra::step);
    }

    public static void main(String[] args) {
        InfraOptions options;
        try {
            options = InfraOptions.parse(args);
        } catch (InfraOptions.HelpRequested e) {
            System.out.print(InfraOptions.USAGE);
            return;
        } catch (InfraOptions.UsageException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.err.print(InfraOptions.USAGE);
            System.exit(2);
            return;
        }
        int code = new LocalInfra(options).run();
        System.exit(code);
    }

    /** Starts everything, prints READY and blocks until the shutdown hook has stopped everything. */
    int run() {
        try {
            Files.createDirectories(options.logs());
            InfraLogging.install(options.logs().resolve("kafka.log"), options.verbose());
        } catch (IOException | RuntimeException e) {
            error("cannot prepare the state directory " + options.state() + ": " + e);
            return 1;
        }
        step("state directory " + options.state() + " (pid " + ProcessHandle.current().pid() + ", Java "
                + Runtime.version().feature() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ready) {
                step("stopping");
            }
            stop();
            stopped.countDown();
        }, "parley-infra-shutdown"));
        try {
            start();
        } catch (InUseException e) {
            error(e.getMessage());
            return 3;
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "LocalInfra failed to start", e);
            error(describe(e) + System.lineSeparator() + "       (details: " + options.logs().resolve("kafka.log")
                    + " and " + options.logs().resolve("postgres.log") + ")");
            return 1;
        }
        System.out.println("READY kafka=" + options.kafkaBootstrap() + " postgres=" + options.postgresAddress());
        System.out.flush();
        try {
            stopped.await(); // released by the shutdown hook; the JVM exits once every hook is done
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts PostgreSQL, then Kafka; returns once both accept connections. */
    void start() throws Exception {
        Files.createDirectories(options.logs());
        lockState();
        postgres.stopOrphan();
        checkPorts();
        postgres.start();
        kafka.start();
        ready = true;
    }

    /** Stops Kafka, then PostgreSQL, and releases the state directory; harmless when nothing runs. */
    synchronized void stop() {
        try {
            if (kafka.stop()) {
                step("Kafka stopped");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Kafka did not stop cleanly", e);
            step("Kafka did not stop cleanly: " + e);
        }
        try {
            if (postgres.stop()) {
                step("PostgreSQL stopped");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "PostgreSQL did not stop cleanly", e);
            step("PostgreSQL did not stop cleanly: " + e);
        }
        try {
            if (stateLock != null) {
                stateLock.release();
                lockChannel.close();
                stateLock = null;
            }
        } catch (IOException ignored) {
            // the JVM is exiting and the lock goes with it
        }
        if (ready) {
            ready = false;
            step("stopped");
        }
    }

    /** One LocalInfra per state directory: a second one would fight over the data files. */
    private void lockState() throws IOException, InUseException {
        Path lockFile = options.state().resolve("infra.lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            stateLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            stateLock = null; // held by another LocalInfra of this very JVM (tests)
        }
        if (stateLock == null) {
            lockChannel.close();
            throw new InUseException("another LocalInfra is already running with the state directory "
                    + options.state() + " (./parley status shows it; ./parley down stops it)");
        }
        lockChannel.truncate(0);
        lockChannel.write(ByteBuffer.wrap(
                (ProcessHandle.current().pid() + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
    }

    private void checkPorts() throws InUseException {
        var ports = new LinkedHashMap<Integer, String>();
        ports.put(options.kafkaPort(), "Kafka");
        ports.put(options.controllerPort(), "Kafka controller");
        ports.put(options.postgresPort(), "PostgreSQL");
        List<String> taken = new ArrayList<>();
        for (Map.Entry<Integer, String> port : ports.entrySet()) {
            if (!isFree(port.getKey())) {
                taken.add(port.getKey() + " (" + port.getValue() + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new InUseException((taken.size() == 1 ? "port " : "ports ") + String.join(", ", taken)
                    + (taken.size() == 1 ? " is" : " are") + " already in use on " + InfraOptions.HOST
                    + ". Is another Parley stack or another program listening there? Stop it, or choose other ports"
                    + " with --kafka-port / --controller-port / --postgres-port.");
        }
    }

    static boolean isFree(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true); // a port in TIME_WAIT is fine; only a listener makes it taken
            socket.bind(new InetSocketAddress(InetAddress.getByName(InfraOptions.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void step(String message) {
        System.out.println("[infra " + LocalTime.now().format(TIME) + "] " + message);
        System.out.flush();
    }

    private static void error(String message) {
        System.err.println("ERROR: " + message);
        System.err.flush();
    }

    /** The messages of an exception and its causes, without repeats: enough for the console. */
    private static String describe(Throwable e) {
        var text = new StringBuilder();
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : System.lineSeparator() + "       caused by: ").append(message);
            }
        }
        return text.toString();
    }

    static final class InUseException extends Exception {
        InUseException(String message) {
            super(message);
        }
    }
}
