package dev.parley.tools.infra;

import java.nio.file.Path;

/**
 * Command line of {@link LocalInfra}.
 *
 * @param state          directory holding every piece of state (PostgreSQL data, Kafka logs, log files)
 * @param kafkaPort      the broker's PLAINTEXT listener on 127.0.0.1
 * @param controllerPort the KRaft controller listener on 127.0.0.1
 * @param postgresPort   PostgreSQL on 127.0.0.1
 * @param verbose        Kafka and zonky log at INFO instead of WARN
 */
public record InfraOptions(Path state, int kafkaPort, int controllerPort, int postgresPort, boolean verbose) {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_KAFKA_PORT = 29092;
    public static final int DEFAULT_POSTGRES_PORT = 25432;

    public static final String USAGE = """
            Usage: LocalInfra [--state DIR] [--kafka-port N] [--controller-port N] [--postgres-port N] [--verbose]

            Runs the local Parley infrastructure until SIGTERM / Ctrl-C:
              PostgreSQL 17 (embedded, persistent data in DIR/postgres) on 127.0.0.1:25432
              Kafka 4.1 broker+controller (KRaft, data in DIR/kafka)      on 127.0.0.1:29092 (controller 29093)

              --state DIR           state directory (default .parley)
              --kafka-port N        broker port (default 29092)
              --controller-port N   KRaft controller port (default: the broker port + 1)
              --postgres-port N     PostgreSQL port (default 25432)
              --verbose             Kafka's own logging at INFO instead of WARN (file DIR/logs/kafka.log)
            """;

    /** Thrown for a command line that cannot be used; the message is meant for the user. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    public static final class HelpRequested extends Exception {
        public HelpRequested() {
            super(USAGE);
        }
    }

    public static InfraOptions parse(String... args) throws UsageException, HelpRequested {
        Path state = Path.of(".parley");
        int kafkaPort = DEFAULT_KAFKA_PORT;
        Integer controllerPort = null;
        int postgresPort = DEFAULT_POSTGRES_PORT;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--verbose" -> verbose = true;
                case "--state", "--kafka-port", "--controller-port", "--postgres-port" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--state" -> {
                            if (value.isBlank()) {
                                throw new UsageException("--state needs a directory");
                            }
                            state = Path.of(value);
                        }
                        case "--kafka-port" -> kafkaPort = port(arg, value);
                        case "--controller-port" -> controllerPort = port(arg, value);
                        default -> postgresPort = port(arg, value);
                    }
                }
                default -> throw new UsageException("unknown argument: " + args[i]);
            }
        }
        int controller = controllerPort != null ? controllerPort : kafkaPort + 1;
        if (controller > 65535) {
            throw new UsageException("--controller-port: " + controller + " is not a port; give one explicitly");
        }
        if (kafkaPort == controller || kafkaPort == postgresPort || controller == postgresPort) {
            throw new UsageException("the Kafka (" + kafkaPort + "), controller (" + controller + ") and PostgreSQL ("
                    + postgresPort + ") ports must differ");
        }
        return new InfraOptions(state.toAbsolutePath().normalize(), kafkaPort, controller, postgresPort, verbose);
    }

    private static int port(String option, String value) throws UsageException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + ": '" + value + "' is not a port number (1-65535)");
    }

    public String kafkaBootstrap() {
        return HOST + ":" + kafkaPort;
    }

    public String postgresAddress() {
        return HOST + ":" + postgresPort;
    }

    public Path logs() {
        return state.resolve("logs");
    }
}
