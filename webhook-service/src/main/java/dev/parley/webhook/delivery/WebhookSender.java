package dev.parley.webhook.delivery;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.net.UrlPolicy;
import dev.parley.webhook.config.WebhookConfig;
import dev.parley.webhook.security.Signatures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one signed webhook request. The host was resolved and checked by {@link UrlPolicy} just before, and the
 * connection goes to that checked address (the Host header and TLS name stay the URL's host), so DNS cannot hand the
 * connection an internal address between the check and the connect. Redirects are not followed; the whole attempt
 * is bounded by the delivery timeout; only the first characters of the response body are kept.
 */
@ApplicationScoped
public class WebhookSender {

    public static final String USER_AGENT = "Parley-Webhooks/1.0";

    /** What the receiver answered, or why there was no answer. */
    public record Result(Integer statusCode, String responseExcerpt, String error, String retryAfter,
            int durationMillis) {
    }

    @Inject
    Vertx vertx;
    @Inject
    WebhookConfig config;

    private HttpClient client;

    @PostConstruct
    void init() {
        var options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setConnectTimeout((int) Math.min(config.delivery().timeout().toMillis(), 10_000))
                .setVerifyHost(true)
                .setForceSni(true)
                .setTryUseCompression(false)
                .setMaxRedirects(0);
        // Vert.x pools connections per server address, not per endpoint: two endpoints on one host would share (and
        // a hanging one would exhaust) a small pool. The gates limit each endpoint; the pool only caps the total.
        var pool = new PoolOptions()
                .setHttp1MaxSize(config.delivery().maxInFlight())
                .setMaxWaitQueueSize(-1);
        client = vertx.createHttpClient(options, pool);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public CompletableFuture<Result> send(UrlPolicy.Target target, InetAddress address, List<String> secrets,
            String webhookId, String body) {
        var result = new CompletableFuture<Result>();
        long started = System.nanoTime();
        long timestamp = Instant.now().getEpochSecond();
        long timeoutMillis = config.delivery().timeout().toMillis();
        int excerptLimit = config.delivery().responseExcerptChars();
        var options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.https())
                .setURI(target.pathAndQuery())
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                .setIdleTimeout(timeoutMillis)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", USER_AGENT)
                .putHeader("webhook-id", webhookId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", Signatures.header(secrets, webhookId, timestamp, body));
        var finished = new AtomicBoolean();
        var inFlight = new AtomicReference<HttpClientRequest>();
        var timer = new long[1];
        // Cut the exchange when the time is up, whatever stage it is in.
        timer[0] = vertx.setTimer(timeoutMillis, id -> {
            if (finished.compareAndSet(false, true)) {
                result.complete(new Result(null, null, "timed out after " + timeoutMillis + " ms", null,
                        elapsed(started)));
                var request = inFlight.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                fail(result, finished, timer[0], opened.cause(), started);
                return;
            }
            var request = opened.result();
            inFlight.set(request);
            if (finished.get()) {
                request.reset();
                return;
            }
            request.send(io.vertx.core.buffer.Buffer.buffer(body, StandardCharsets.UTF_8.name())).onComplete(sent -> {
                if (sent.failed()) {
                    fail(result, finished, timer[0], sent.cause(), started);
                    return;
                }
                HttpClientResponse response = sent.result();
                var excerpt = new StringBuilder();
                response.handler(chunk -> {
                    if (excerpt.length() < excerptLimit) {
                        String text = chunk.toString(StandardCharsets.UTF_8);
                        excerpt.append(text, 0, Math.min(text.length(), excerptLimit - excerpt.length()));
                    }
                });
                response.exceptionHandler(e -> fail(result, finished, timer[0], e, started));
                response.endHandler(end -> {
                    if (finished.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer[0]);
                        result.complete(new Result(response.statusCode(), excerpt.toString(), null,
                                response.getHeader("retry-after"), elapsed(started)));
                    }
                });
            });
        });
        return result;
    }

    private void fail(CompletableFuture<Result> result, AtomicBoolean finished, long timer, Throwable cause,
            long started) {
        if (finished.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            result.complete(new Result(null, null, message, null, elapsed(started)));
        }
    }

    private static int elapsed(long started) {
        return (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
