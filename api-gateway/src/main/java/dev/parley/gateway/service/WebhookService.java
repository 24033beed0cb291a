package dev.parley.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.WebhookBackend;
import dev.parley.gateway.rest.WebhookBodies;
import dev.parley.gateway.security.Caller;

/** The public webhook API: every call needs {@code webhooks:manage} and stays within the caller's tenant. */
@ApplicationScoped
public class WebhookService {

    public static final String WEBHOOKS_MANAGE = "webhooks:manage";

    @Inject
    WebhookBackend backend;

    public JsonNode create(Caller caller, WebhookBodies.Create request) {
        return backend.create(tenant(caller), request);
    }

    public JsonNode list(Caller caller) {
        return backend.list(tenant(caller));
    }

    public JsonNode get(Caller caller, String id) {
        return backend.get(tenant(caller), id);
    }

    public JsonNode update(Caller caller, String id, WebhookBodies.Update request) {
        return backend.update(tenant(caller), id, request);
    }

    public void delete(Caller caller, String id) {
        backend.delete(tenant(caller), id);
    }

    public JsonNode enable(Caller caller, String id, boolean enabled) {
        return backend.action(tenant(caller), id, enabled ? "enable" : "disable", null);
    }

    public JsonNode rotateSecret(Caller caller, String id, WebhookBodies.RotateSecret request) {
        return backend.action(tenant(caller), id, "rotate-secret", request);
    }

    public JsonNode test(Caller caller, String id) {
        return backend.test(tenant(caller), id);
    }

    public JsonNode deliveries(Caller caller, String id, String status, String eventType, String since, String until,
            String cursor, int limit) {
        return backend.deliveries(tenant(caller), id, status, eventType, since, until, cursor, limit);
    }

    public JsonNode delivery(Caller caller, String id, String deliveryId) {
        return backend.delivery(tenant(caller), id, deliveryId);
    }

    public JsonNode replay(Caller caller, String id, String deliveryId) {
        return backend.replay(tenant(caller), id, deliveryId);
    }

    public JsonNode recover(Caller caller, String id, WebhookBodies.Recover request) {
        return backend.action(tenant(caller), id, "recover", request);
    }

    private static String tenant(Caller caller) {
        if (!caller.may(WEBHOOKS_MANAGE)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + WEBHOOKS_MANAGE);
        }
        return caller.tenantId();
    }
}
