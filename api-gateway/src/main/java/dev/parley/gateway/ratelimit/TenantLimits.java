package dev.parley.gateway.ratelimit;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.parley.gateway.config.SecurityConfig;
import io.agroal.api.AgroalDataSource;

/**
 * Each tenant's limits: the JSON in {@code tenants.rate_limits} where it is set, else the configured defaults.
 * Read rarely (cached), since they change only when an operator changes them.
 */
@ApplicationScoped
public class TenantLimits {

    private static final Logger LOG = Logger.getLogger(TenantLimits.class);

    @Inject
    SecurityConfig config;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;

    private LoadingCache<String, Limits> cache;
    private Limits defaults;

    @PostConstruct
    void init() {
        var rate = config.rateLimit();
        defaults = new Limits(new Limits.Limit(rate.perKey().capacity(), rate.perKey().period()),
                new Limits.Limit(rate.perTenant().capacity(), rate.perTenant().period()));
        cache = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(rate.tenantSettingsCacheFor())
                .build(this::load);
    }

    public Limits of(String tenantId) {
        return cache.get(tenantId);
    }

    public Limits defaults() {
        return defaults;
    }

    /**
     * Sets (or with null, clears) a tenant's own limits; effective on this replica at once, elsewhere on expiry.
     *
     * @throws IllegalArgumentException when the JSON is not limits: each of {@code perKey} and {@code perTenant} is
     *         absent or has a positive {@code capacity} and, optionally, a positive {@code periodSeconds}
     */
    public void set(String tenantId, String limitsJson) throws SQLException {
        if (limitsJson != null) {
            read(limitsJson);
        }
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE tenants SET rate_limits = ?::jsonb WHERE id = ?")) {
            update.setString(1, limitsJson);
            update.setString(2, tenantId);
            update.executeUpdate();
        }
        cache.invalidate(tenantId);
    }

    private Limits load(String tenantId) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT rate_limits::text FROM tenants WHERE id = ?")) {
            select.setString(1, tenantId);
            var row = select.executeQuery();
            String stored = row.next() ? row.getString(1) : null;
            return stored == null ? defaults : parse(tenantId, stored);
        } catch (SQLException e) {
            LOG.warnf("Could not read the rate limits of tenant %s; using the defaults: %s", tenantId, e.toString());
            return defaults;
        }
    }

    private Limits parse(String tenantId, String stored) {
        try {
            return read(stored);
        } catch (RuntimeException e) {
            LOG.warnf("Tenant %s has unreadable rate limits; using the defaults: %s", tenantId, e.toString());
            return defaults;
        }
    }

    /** The limits a JSON document sets, the defaults where it sets none; the one reader of the format. */
    private Limits read(String limitsJson) {
        JsonNode node;
        try {
            node = json.readTree(limitsJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Rate limits are not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Rate limits must be a JSON object with perKey and/or perTenant");
        }
        return new Limits(limit(node, "perKey").orElse(defaults.perKey()),
                limit(node, "perTenant").orElse(defaults.perTenant()));
    }

    private static Optional<Limits.Limit> limit(JsonNode limits, String name) {
        JsonNode node = limits.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        JsonNode capacity = node.path("capacity");
        long periodSeconds = node.path("periodSeconds").asLong(1);
        if (!capacity.canConvertToLong() || capacity.asLong() <= 0 || periodSeconds <= 0) {
            throw new IllegalArgumentException(
                    name + " needs a positive integer capacity and, if given, a positive periodSeconds");
        }
        return Optional.of(new Limits.Limit(capacity.asLong(), Duration.ofSeconds(periodSeconds)));
    }
}
