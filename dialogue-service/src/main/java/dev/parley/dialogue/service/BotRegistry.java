package dev.parley.dialogue.service;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.repository.BotRepository;
import dev.parley.dialogue.repository.BotRepository.StoredBot;

/**
 * Compiled bot versions, kept in memory: a published version never changes, so a cached one is never stale.
 * The latest version of each bot is looked up again after {@link #LATEST_TTL_MILLIS}.
 */
@ApplicationScoped
public class BotRegistry {

    static final long LATEST_TTL_MILLIS = 5_000;

    private record Latest(int version, long checkedAt) {
    }

    @Inject
    BotRepository bots;
    @Inject
    ObjectMapper json;
    @Inject
    NluService nlu;

    private final Map<String, CompiledBot> versions = new ConcurrentHashMap<>();
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    public Optional<CompiledBot> latest(String tenantId, String botId) throws SQLException {
        String key = tenantId + '\u0000' + botId;
        Latest known = latest.get(key);
        if (known != null && System.currentTimeMillis() - known.checkedAt() < LATEST_TTL_MILLIS) {
            return version(tenantId, botId, known.version());
        }
        Optional<StoredBot> stored = bots.latestPublished(tenantId, botId);
        if (stored.isEmpty()) {
            latest.remove(key);
            return Optional.empty();
        }
        latest.put(key, new Latest(stored.get().version(), System.currentTimeMillis()));
        return Optional.of(versions.computeIfAbsent(key + '\u0000' + stored.get().version(), k -> compile(stored.get())));
    }

    public Optional<CompiledBot> version(String tenantId, String botId, int version) throws SQLException {
        String key = tenantId + '\u0000' + botId + '\u0000' + version;
        CompiledBot cached = versions.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredBot> stored = bots.version(tenantId, botId, version);
        return stored.map(s -> versions.computeIfAbsent(key, k -> compile(s)));
    }

    public int publish(String tenantId, BotDefinition definition) throws SQLException {
        try {
            int version = bots.publish(tenantId, definition.id(), json.writeValueAsString(definition));
            latest.remove(tenantId + '\u0000' + definition.id());
            // Train the new version's classifier now, in the background, rather than on its first message.
            version(tenantId, definition.id(), version).ifPresent(nlu::of);
            return version;
        } catch (IOException e) {
            throw new IllegalArgumentException("The bot definition is not serialisable", e);
        }
    }

    /** After a version is published elsewhere than {@link #publish}: the next turn looks the latest up again. */
    public void forgetLatest(String tenantId, String botId) {
        latest.remove(tenantId + '\u0000' + botId);
    }

    private CompiledBot compile(StoredBot stored) {
        try {
            BotDefinition definition = json.readValue(stored.definition(), BotDefinition.class);
            return CompiledBot.compile(stored.tenantId(), stored.botId(), stored.version(), definition);
        } catch (IOException e) {
            throw new IllegalStateException("Stored bot " + stored.botId() + " v" + stored.version() + " is unreadable", e);
        }
    }
}
