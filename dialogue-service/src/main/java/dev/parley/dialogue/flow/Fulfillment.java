package dev.parley.dialogue.flow;

import java.util.Map;

/** Calls a tenant endpoint for a flow step and returns its JSON answer. */
public interface Fulfillment {

    /**
     * @param callId the same for every attempt of one call, so the endpoint can recognise a repeat
     * @throws FulfillmentException when the endpoint cannot answer in time, refuses, or its circuit is open
     */
    Map<String, Object> call(String tenantId, String endpointName, FlowModel.Endpoint endpoint, String callId,
            Map<String, Object> payload) throws FulfillmentException;

    class FulfillmentException extends Exception {
        public FulfillmentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
