package dev.parley.gateway.rest;

import java.io.InputStream;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.parley.gateway.client.ExportStreams;

/** Answers with a downstream stream as it arrives, buffer by buffer, never holding the whole body. */
final class Streams {

    private Streams() {
    }

    static Response passThrough(ExportStreams.Stream stream) {
        StreamingOutput body = out -> {
            try (InputStream in = stream.body()) {
                byte[] buffer = new byte[16 * 1024];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        };
        var response = Response.ok(body, stream.mediaType());
        if (stream.contentDisposition() != null) {
            response.header("Content-Disposition", stream.contentDisposition());
        }
        return response.build();
    }
}
