package dev.parley.tools.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL 17 from the zonky binaries, with a persistent data directory.
 *
 * <p>zonky runs {@code pg_ctl start} (under {@code unshare -U} when run as root, which PostgreSQL refuses), so the
 * postmaster is a daemon of its own rather than a child of this JVM; it is stopped by {@link #stop()} (and by zonky's
 * own shutdown hook) with {@code pg_ctl stop -m fast}. Should this JVM die without running its hooks (kill -9), the
 * next start finds the postmaster through {@code postmaster.pid} and stops it first ({@link #stopOrphan});
 * {@code ./parley down} does the same.
 *
 * <p>Authentication is zonky's {@code trust} for local TCP connections (the server listens on 127.0.0.1 only); the
 * role still gets the password {@code parley} so that clients configured with it work unchanged.
 */
final class LocalPostgres implements AutoCloseable {

    static final String USER = "parley";
    static final String PASSWORD = "parley";
    static final List<String> DATABASES =
            List.of("parley_gateway", "parley_session", "parley_dialogue", "parley_knowledge", "parley_webhook");

    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private final Consumer<String> step;
    private EmbeddedPostgres server;

    LocalPostgres(Path dataDirectory, Path logFile, int port, Consumer<String> step) {
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.port = port;
        this.step = step;
    }

    /**
     * Stops a postmaster that an earlier LocalInfra left running on this data directory (its JVM was killed). The
     * caller holds the state directory's lock, so no live LocalInfra owns that postmaster.
     */
    void stopOrphan() throws IOException, InterruptedException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try (Stream<String> lines = Files.lines(pidFile)) {
            pid = Long.parseLong(lines.findFirst().orElse("").trim());
        } catch (NumberFormatException e) {
            return; // being written or garbage: postgres itself deals with a stale file
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        Optional<String> command = process.flatMap(p -> p.info().command());
        if (process.isEmpty() || command.isEmpty() || !Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return; // not running (stale pid file) or the pid now belongs to something else
        }
        step.accept("PostgreSQL: stopping a server left running by an earlier run (pid " + pid + ")");
        // SIGINT is PostgreSQL's "fast" shutdown (what pg_ctl stop -m fast sends). Not pg_ctl itself: as root it
        // refuses to run outside the user namespace zonky starts it in.
        new ProcessBuilder("kill", "-INT", Long.toString(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start()
                .waitFor(10, TimeUnit.SECONDS);
        if (!waitForExit(process.get(), Duration.ofSeconds(30))) {
            process.get().destroyForcibly();
            waitForExit(process.get(), Duration.ofSeconds(10));
        }
        if (process.get().isAlive()) {
            throw new IllegalStateException("could not stop the PostgreSQL server left running (pid " + pid + ")");
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        }
    }

    void start() throws IOException {
        Files.createDirectories(dataDirectory);
        boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
        if (fresh) {
            try (Stream<Path> entries = Files.list(dataDirectory)) {
                if (entries.anyMatch(p -> !p.getFileName().toString().equals("epg-lock"))) {
                    throw new IllegalStateException(dataDirectory + " is not empty but holds no PostgreSQL data"
                            + " directory (an interrupted first start?). Delete it and start again.");
                }
            }
            step.accept("PostgreSQL: initialising a new data directory " + dataDirectory + " (first start only)");
        }
        step.accept("PostgreSQL: starting on " + InfraOptions.HOST + ":" + port
                + " (server log " + logFile + ")");
        long startNanos = System.nanoTime();
        var log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        var started = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(90))
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", InfraOptions.HOST)
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("synchronous_commit", "off") // dev box: fast commits...
                .setServerConfig("fsync", "on") // ...but zonky's default -F (no fsync) does not suit kept data
                .setServerConfig("timezone", "UTC")
                .setServerConfig("log_min_messages", "warning")
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .start();
        synchronized (this) {
            server = started;
        }
        step.accept("PostgreSQL: accepting connections after " + seconds(startNanos));
        provision();
    }

    /** Creates the {@code parley} role and the services' databases when missing; safe to run on every start. */
    private void provision() {
        EmbeddedPostgres server;
        synchronized (this) {
            server = this.server;
        }
        if (server == null) {
            throw new IllegalStateException("PostgreSQL was stopped while starting");
        }
        try (Connection c = server.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            boolean roleExists;
            try (var rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                roleExists = rs.next();
            }
            s.execute((roleExists ? "ALTER" : "CREATE") + " ROLE " + USER
                    + " WITH LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            if (!roleExists) {
                step.accept("PostgreSQL: created role " + USER + " (password " + PASSWORD + ")");
            }
            for (String database : DATABASES) {
                boolean exists;
                try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + database + " OWNER " + USER);
                    step.accept("PostgreSQL: created database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the parley role and databases: " + e.getMessage(), e);
        }
        // What the services will do: log in as parley/parley over TCP.
        for (String database : DATABASES) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
                    var s = c.createStatement()) {
                s.execute("SELECT 1");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot log in to " + database + " as " + USER + ": " + e.getMessage(), e);
            }
        }
        step.accept("PostgreSQL: role " + USER + " and databases " + String.join(", ", DATABASES) + " ready");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + InfraOptions.HOST + ":" + port + "/" + database;
    }

    static String seconds(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    /** Stops the server (pg_ctl stop -m fast); returns whether there was one to stop. */
    boolean stop() throws IOException {
        EmbeddedPostgres running;
        synchronized (this) {
            running = server;
            server = null;
        }
        if (running == null) {
            return false;
        }
        running.close(); // idempotent: zonky's own shutdown hook may be at it too
        return true;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
