package dev.parley.gateway.repository;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/** The tenants known to the gateway (made at onboarding, with their first API key). */
@ApplicationScoped
public class TenantRepository {

    /** A tenant and the bot its conversations use unless the request names one. */
    public record Tenant(String id, String defaultBotId) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Optional<Tenant> find(String tenantId) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT id, default_bot_id FROM tenants WHERE id = ?")) {
            select.setString(1, tenantId);
            try (var rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Tenant(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read a tenant", e);
        }
    }
}
