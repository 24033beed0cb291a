package dev.parley.knowledge.fetch;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.net.UrlPolicy;
import dev.parley.knowledge.config.KnowledgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Downloads one URL for knowledge-service, blocking the calling worker thread (never a request thread: pages are
 * fetched during ingestion, sitemaps by the crawler).
 * <p>
 * Every hop, the first URL and each redirect, passes {@link FetchPolicy}: its host is resolved once, every address
 * is checked, and the connection goes to that checked address while the Host header and the TLS name (SNI and
 * certificate check) stay the URL's host. DNS therefore cannot hand the connection another address between the check
 * and the connect (rebinding), and a redirect to an internal address is refused before anything is sent to it.
 * Redirects are followed here, never by the client; the body is capped while it streams; the whole fetch, redirects
 * included, has one time limit (it runs on an ingestion consumer thread, which must poll again in time).
 * <p>
 * The JDK's {@code java.net.http} client cannot be told which address to connect to for a host name (it would need
 * JVM-wide switches for the Host header and hostname verification), so this uses the Vert.x client, as webhook
 * delivery does.
 */
@ApplicationScoped
public class UrlFetcher {

    /** A successful answer: where it finally came from, its media type (as sent, or null) and its body. */
    public record Fetched(String url, String contentType, byte[] body) {
        public String baseType() {
            return FetchPolicy.baseType(contentType);
        }
    }

    @Inject
    Vertx vertx;
    @Inject
    FetchPolicy policy;
    @Inject
    KnowledgeConfig config;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout((int) Math.min(config.fetch().timeout().toMillis(), 10_000))
                .setVerifyHost(true)
                .setForceSni(true)
                .setTryUseCompression(false)
                .setMaxRedirects(0));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * @param accepted which base media types the caller can use; another one fails with {@code unsupported_type}
     * @param accept   the Accept header
     */
    public Fetched fetch(String url, Predicate<String> accepted, String accept) throws FetchFailed {
        String current = url;
        long deadline = System.nanoTime() + config.fetch().timeout().toNanos();
        for (int hop = 0;; hop++) {
            UrlPolicy.Target target = policy.check(current);
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new FetchFailed(FetchFailed.TIMEOUT, "no complete answer within " + config.fetch().timeout().toMillis()
                        + " ms");
            }
            Answer answer = exchange(target, target.addresses().get(0), accept, remaining);
            int status = answer.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                current = policy.redirect(target.uri(), answer.location(), hop);
                continue;
            }
            if (status < 200 || status > 299) {
                throw FetchFailed.status(status);
            }
            String type = FetchPolicy.baseType(answer.contentType());
            if (!accepted.test(type)) {
                throw new FetchFailed(FetchFailed.UNSUPPORTED_TYPE, "the server sent " + type);
            }
            return new Fetched(current, answer.contentType(), answer.body());
        }
    }

    private record Answer(int status, String location, String contentType, byte[] body) {
    }

    private Answer exchange(UrlPolicy.Target target, InetAddress address, String accept, long timeout)
            throws FetchFailed {
        var options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.https())
                .setURI(target.pathAndQuery())
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                .setIdleTimeout(timeout)
                .putHeader("user-agent", config.fetch().userAgent())
                .putHeader("accept", accept);
        var result = new CompletableFuture<Answer>();
        var inFlight = new AtomicReference<HttpClientRequest>();
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                result.completeExceptionally(opened.cause());
                return;
            }
            HttpClientRequest request = opened.result();
            inFlight.set(request);
            request.send().onComplete(sent -> {
                if (sent.failed()) {
                    result.completeExceptionally(sent.cause());
                    return;
                }
                var response = sent.result();
                int status = response.statusCode();
                boolean keep = status >= 200 && status <= 299;
                String length = response.getHeader("content-length");
                if (keep && length != null) {
                    try {
                        policy.checkSize(Long.parseLong(length.strip()));
                    } catch (NumberFormatException ignored) {
                        // a malformed length: the streaming cap still holds
                    } catch (FetchFailed tooLarge) {
                        result.completeExceptionally(tooLarge);
                        request.reset();
                        return;
                    }
                }
                var body = Buffer.buffer();
                response.handler(chunk -> {
                    if (!keep || result.isDone()) {
                        return;
                    }
                    if ((long) body.length() + chunk.length() > policy.maxBytes()) {
                        result.completeExceptionally(new FetchFailed(FetchFailed.TOO_LARGE,
                                "larger than " + policy.maxBytes() + " bytes"));
                        request.reset();
                        return;
                    }
                    body.appendBuffer(chunk);
                });
                response.exceptionHandler(result::completeExceptionally);
                response.endHandler(end -> result.complete(new Answer(status, response.getHeader("location"),
                        response.getHeader("content-type"), keep ? body.getBytes() : new byte[0])));
            });
        });
        try {
            return result.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            var request = inFlight.get();
            if (request != null) {
                request.reset();
            }
            throw new FetchFailed(FetchFailed.TIMEOUT, "no complete answer within "
                    + config.fetch().timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed(FetchFailed.TIMEOUT, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchFailed failed) {
                throw failed;
            }
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new FetchFailed(FetchFailed.CONNECTION_FAILED, message);
        }
    }
}
