package dev.parley.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One benchmark run: {@code clients} virtual threads, each a virtual user that opens a session, sends
 * {@code turnsPerSession} messages, opens the next session, and so on until the measured phase is over.
 *
 * <p>Every request is classified by when it was (meant to be) sent: before the end of the warm-up it counts
 * for the warm-up and is left out of the report. In open loop each client sends on its own fixed schedule
 * (client {@code c} at {@code t0 + (c + k * clients) / rate}); a client that falls behind sends at once, and
 * latency always runs from the scheduled time, so queueing delay is not hidden (no coordinated omission).
 */
final class BenchRunner {

    private enum Outcome { OK, ACCEPTED, FAILED, SESSION_GONE, STOPPED }

    private static final String POOL_SIZE_PROPERTY = "jdk.httpclient.connectionPoolSize";

    private final BenchOptions options;
    private final List<String> texts;
    private final String textsDescription;
    private final PrintStream err;
    private final boolean tty;
    private final ObjectMapper mapper;
    /** One entry per side: the {@code --url} and, when comparing, the {@code --compare-url}. */
    private final URI[] sessionsUris;
    private final URI[] messagesUris;
    private final PhaseStats[] warmupStats;
    private final PhaseStats[] measuredStats;
    private final AtomicLong turnTickets = new AtomicLong();
    /** Open loop: messages scheduled in the measured phase that a client was too far behind to send. */
    private final AtomicLong[] unsent;
    private final LongAccumulator lastMeasuredCompletion = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final AtomicInteger failureStreak = new AtomicInteger();
    private final AtomicReference<String> abortReason = new AtomicReference<>();
    private final int failureStreakLimit;
    private final List<Thread> threads = new ArrayList<>();

    private volatile boolean stopping;
    private volatile boolean interrupted;
    private volatile long stopTime;
    private HttpClient http;
    private long t0;
    private long measureStart;
    private long measureEnd;

    BenchRunner(BenchOptions options, List<String> texts, String textsDescription, PrintStream err, boolean tty,
            ObjectMapper mapper) {
        this.options = options;
        this.texts = List.copyOf(texts);
        this.textsDescription = textsDescription;
        this.err = err;
        this.tty = tty;
        this.mapper = mapper;
        int sides = options.comparing() ? 2 : 1;
        this.sessionsUris = new URI[sides];
        this.messagesUris = new URI[sides];
        this.warmupStats = new PhaseStats[sides];
        this.measuredStats = new PhaseStats[sides];
        this.unsent = new AtomicLong[sides];
        for (int side = 0; side < sides; side++) {
            String base = options.side(side).url().toString();
            sessionsUris[side] = URI.create(base + "/v1/sessions");
            messagesUris[side] = URI.create(base + "/v1/messages");
            warmupStats[side] = new PhaseStats();
            measuredStats[side] = new PhaseStats();
            unsent[side] = new AtomicLong();
        }
        this.failureStreakLimit = Math.max(100, 3 * options.clients());
    }

    /** Stops the run early (Ctrl-C): requests in flight are abandoned and not counted. */
    void interrupt() {
        interrupted = true;
        stop();
    }

    private void abort(String reason) {
        if (abortReason.compareAndSet(null, reason)) {
            stop();
        }
    }

    private void stop() {
        synchronized (threads) {
            if (stopping) {
                return;
            }
            stopTime = System.nanoTime();
            stopping = true;
            threads.forEach(Thread::interrupt);
        }
    }

    /** Runs the benchmark; one report per side (one unless comparing). */
    List<BenchReport> run() throws InterruptedException, IOException {
        if (System.getProperty(POOL_SIZE_PROPERTY) == null) {
            // Read once per JVM when the HttpClient implementation loads: keep one idle connection per client.
            System.setProperty(POOL_SIZE_PROPERTY, Integer.toString(options.clients()));
        }
        ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.timeout().compareTo(Duration.ofSeconds(10)) < 0
                        ? options.timeout() : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
        ProgressBar progress = null;
        try {
            // Load the request and JSON classes now rather than on the clock of the first scheduled requests.
            request(messagesUris[0], Map.of("sessionId", "s", "text", "t"));
            json("{\"reply\":\"r\",\"messages\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            t0 = System.nanoTime();
            measureStart = t0 + options.warmup().toNanos();
            measureEnd = options.durationMode() ? measureStart + options.duration().toNanos() : 0;
            synchronized (threads) {
                for (int i = 0; i < options.clients(); i++) {
                    int client = i;
                    threads.add(Thread.ofVirtual().name("bench-client-" + i).unstarted(() -> client(client)));
                }
            }
            if (options.progress()) {
                progress = new ProgressBar(err, tty, this::snapshot, options, t0, measureStart);
                progress.start();
            }
            synchronized (threads) {
                if (!stopping) {
                    threads.forEach(Thread::start);
                }
            }
            for (Thread thread : threads) {
                if (thread.getState() != Thread.State.NEW) {
                    thread.join();
                }
            }
        } finally {
            if (progress != null) {
                progress.finish(!stopping);
            }
            if (stopping) {
                http.shutdownNow(); // abandon requests still in flight after Ctrl-C or an abort
            }
            http.close();
            httpExecutor.close();
        }
        List<BenchReport> reports = new ArrayList<>();
        for (int side = 0; side < measuredStats.length; side++) {
            reports.add(report(side));
        }
        return reports;
    }

    private ProgressBar.Snapshot snapshot() {
        long turns = 0;
        long errors = 0;
        long accepted = 0;
        long measuredRequests = 0;
        for (int side = 0; side < measuredStats.length; side++) {
            turns += warmupStats[side].turns.sum() + measuredStats[side].turns.sum();
            errors += warmupStats[side].errors.sum() + measuredStats[side].errors.sum();
            accepted += warmupStats[side].accepted.sum() + measuredStats[side].accepted.sum();
            measuredRequests += measuredStats[side].messageRequests.sum();
        }
        return new ProgressBar.Snapshot(turns, errors, accepted, measuredRequests);
    }

    private BenchReport report(int side) {
        long end = lastMeasuredCompletion.get();
        if (stopping) {
            end = Math.max(end, stopTime);
        } else if (options.durationMode()) {
            end = end == Long.MIN_VALUE ? measureEnd : Math.max(end, measureEnd);
        }
        long measuredNanos = end == Long.MIN_VALUE ? 0 : Math.max(0, end - measureStart);
        PhaseStats m = measuredStats[side];
        PhaseStats w = warmupStats[side];
        return new BenchReport(options.side(side), textsDescription, measuredNanos, m.turns.sum(), m.accepted.sum(),
                m.sessions.sum(), m.messageRequests.sum(), m.sessionRequests.sum(), m.errors.sum(),
                m.errorCounts(), m.turnLatency.summary(), m.turnServiceTime.summary(), m.sessionLatency.summary(),
                w.messageRequests.sum() + w.sessionRequests.sum(), w.errors.sum(),
                unsent[side].get(), abortReason.get(), interrupted);
    }

    private boolean measuring(long nanos) {
        return nanos - measureStart >= 0;
    }

    private boolean over(long nanos) {
        return options.durationMode() && nanos - measureEnd >= 0;
    }

    private boolean ticketsLeft() {
        return options.durationMode() || turnTickets.get() < options.turns();
    }

    /** The loop of one virtual user. */
    private void client(int client) {
        long period = options.openLoop() ? Math.round(options.clients() * 1e9 / options.rate()) : 0;
        long nextSlot = options.openLoop() ? t0 + Math.round(client * 1e9 / options.rate()) : 0;
        try {
            nextSlot = loop(client, client % measuredStats.length, period, nextSlot);
        } catch (InterruptedException e) {
            return; // stopped
        }
        if (options.openLoop() && options.durationMode() && !stopping) {
            // The measured phase is over while this client still had scheduled messages to send.
            long first = nextSlot;
            if (first - measureStart < 0) {
                first += ((measureStart - first + period - 1) / period) * period;
            }
            if (measureEnd - first > 0) {
                unsent[client % unsent.length].addAndGet((measureEnd - first + period - 1) / period);
            }
        }
    }

    /** Runs one virtual user until the end; returns the next unsent slot of its open-loop schedule. */
    private long loop(int client, int side, long period, long nextSlot) throws InterruptedException {
        String sessionId = null;
        int messagesInSession = 0;
        int consecutiveFailures = 0;
        while (!stopping) {
            if (sessionId == null || messagesInSession >= options.turnsPerSession()) {
                long now = System.nanoTime();
                if (over(now) || (measuring(now) && !ticketsLeft())) {
                    return nextSlot;
                }
                sessionId = createSession(client, side, now);
                messagesInSession = 0;
                if (sessionId == null) {
                    if (stopping) {
                        return nextSlot;
                    }
                    backOff(++consecutiveFailures);
                    continue;
                }
                consecutiveFailures = 0;
            }

            long intended;
            if (options.openLoop()) {
                intended = nextSlot;
                if (over(intended) || over(System.nanoTime())) {
                    return nextSlot;
                }
                nextSlot += period;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            } else {
                intended = System.nanoTime();
                if (over(intended)) {
                    return nextSlot;
                }
            }
            boolean measured = measuring(intended);
            if (measured && !options.durationMode() && turnTickets.getAndIncrement() >= options.turns()) {
                return nextSlot;
            }
            String text = texts.get(ThreadLocalRandom.current().nextInt(texts.size()));
            Outcome outcome = sendMessage(side, sessionId, text, intended, measured);
            messagesInSession++;
            switch (outcome) {
                case OK, ACCEPTED -> consecutiveFailures = 0;
                case SESSION_GONE -> {
                    sessionId = null;
                    backOff(++consecutiveFailures);
                }
                case FAILED -> backOff(++consecutiveFailures);
                case STOPPED -> {
                    return nextSlot;
                }
            }
        }
        return nextSlot;
    }

    /** Waits a little after failures so that a failing server is not hammered in a tight loop. */
    private void backOff(int consecutiveFailures) throws InterruptedException {
        long millis = Math.min(1_000, 5L << Math.min(consecutiveFailures - 1, 8));
        Thread.sleep(millis);
    }

    private HttpRequest request(URI uri, Object body) throws IOException {
        return HttpRequest.newBuilder(uri)
                .timeout(options.timeout())
                .header("Authorization", "Bearer " + options.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "parley-turn-benchmark")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
                .build();
    }

    private String createSession(int client, int side, long start) throws InterruptedException {
        boolean measured = measuring(start);
        PhaseStats stats = measured ? measuredStats[side] : warmupStats[side];
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = request(sessionsUris[side], Map.of("userId", "bench-user-" + client));
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            if (!stopping) {
                stats.sessionRequests.increment();
                failed(stats, transportError("sessions", e), measured);
            }
            return null;
        }
        long end = System.nanoTime();
        stats.sessionRequests.increment();
        completed(measured, end);
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            JsonNode id = json(response.body()).path("sessionId");
            if (id.isTextual() && !id.asText().isEmpty()) {
                stats.session(end - start);
                failureStreak.set(0);
                return id.asText();
            }
            failed(stats, new PhaseStats.ErrorKey("sessions", Integer.toString(status), "no_session_id"), measured);
            return null;
        }
        failed(stats, httpError("sessions", response), measured);
        return null;
    }

    private Outcome sendMessage(int side, String sessionId, String text, long intended, boolean measured)
            throws InterruptedException {
        PhaseStats stats = measured ? measuredStats[side] : warmupStats[side];
        Map<String, String> body = new LinkedHashMap<>();
        body.put("sessionId", sessionId);
        body.put("text", text);
        long sent;
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = request(messagesUris[side], body);
            sent = System.nanoTime();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            if (stopping) {
                return Outcome.STOPPED;
            }
            stats.messageRequests.increment();
            failed(stats, transportError("messages", e), measured);
            return Outcome.FAILED;
        }
        long end = System.nanoTime();
        stats.messageRequests.increment();
        completed(measured, end);
        int status = response.statusCode();
        if (status == 200) {
            JsonNode reply = json(response.body()).get("reply");
            if (reply != null && !reply.isNull()) {
                stats.turn(end - intended, end - sent);
                failureStreak.set(0);
                return Outcome.OK;
            }
            failed(stats, new PhaseStats.ErrorKey("messages", "200", "no_reply"), measured);
            return Outcome.FAILED;
        }
        if (status == 202) {
            stats.accepted.increment();
            failureStreak.set(0);
            return Outcome.ACCEPTED;
        }
        failed(stats, httpError("messages", response), measured);
        return status == 404 || status == 409 || status == 410 ? Outcome.SESSION_GONE : Outcome.FAILED;
    }

    private void completed(boolean measured, long end) {
        if (measured) {
            lastMeasuredCompletion.accumulate(end);
        }
    }

    private void failed(PhaseStats stats, PhaseStats.ErrorKey key, boolean measured) {
        stats.error(key);
        if (key.status().equals("401") || key.status().equals("403")) {
            abort("the API key was refused (" + key.label() + ")");
        } else if (failureStreak.incrementAndGet() >= failureStreakLimit) {
            abort("no request succeeded in the last " + failureStreakLimit + " attempts (last: " + key.label()
                    + ")");
        }
    }

    private PhaseStats.ErrorKey httpError(String endpoint, HttpResponse<byte[]> response) {
        JsonNode code = json(response.body()).path("code");
        return new PhaseStats.ErrorKey(endpoint, Integer.toString(response.statusCode()),
                code.isTextual() ? code.asText() : "");
    }

    private static PhaseStats.ErrorKey transportError(String endpoint, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new PhaseStats.ErrorKey(endpoint, "timeout", "connect");
        }
        if (e instanceof HttpTimeoutException) {
            return new PhaseStats.ErrorKey(endpoint, "timeout", "");
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof java.util.concurrent.CompletionException)) {
            cause = cause.getCause();
        }
        return new PhaseStats.ErrorKey(endpoint, "io", cause.getClass().getSimpleName());
    }

    private JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return mapper.missingNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.missingNode();
        }
    }
}
