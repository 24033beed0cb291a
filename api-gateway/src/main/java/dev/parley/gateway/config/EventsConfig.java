package dev.parley.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The conversation event stream, {@code GET /v1/conversations/{id}/events} (docs/streaming.md). */
@ConfigMapping(prefix = "parley.gateway.events")
public interface EventsConfig {

    /** How often an idle stream sends a comment line, so that proxies and clients keep the connection open. */
    @WithDefault("15S")
    Duration heartbeat();

    /**
     * Events held for one subscriber that has not yet written them out. A subscriber that falls this far behind is
     * sent {@code stream.resync} and disconnected, so one slow client never holds the gateway's memory.
     */
    @WithDefault("512")
    int bufferSize();

    /**
     * How far back (in transcript messages) a reconnect with {@code Last-Event-ID} may be: older positions get
     * {@code stream.resync} instead of a replay.
     */
    @WithDefault("200")
    int replayLimit();
}
