package dev.parley.gateway.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record TranscriptPage(List<TranscriptMessage> messages, String older, String newer, boolean hasOlder,
        boolean hasNewer) {
}
