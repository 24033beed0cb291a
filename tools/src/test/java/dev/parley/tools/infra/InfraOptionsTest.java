package dev.parley.tools.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class InfraOptionsTest {

    @Test
    void defaults() throws Exception {
        var options = InfraOptions.parse();
        assertEquals(Path.of(".parley").toAbsolutePath().normalize(), options.state());
        assertEquals(29092, options.kafkaPort());
        assertEquals(29093, options.controllerPort());
        assertEquals(25432, options.postgresPort());
        assertFalse(options.verbose());
        assertEquals("127.0.0.1:29092", options.kafkaBootstrap());
        assertEquals("127.0.0.1:25432", options.postgresAddress());
    }

    @Test
    void bothOptionStyles() throws Exception {
        var options = InfraOptions.parse("--state", "/tmp/x/../y", "--kafka-port=39092", "--postgres-port", "35432",
                "--verbose");
        assertEquals(Path.of("/tmp/y"), options.state());
        assertEquals(39092, options.kafkaPort());
        assertEquals(39093, options.controllerPort(), "the controller follows the broker port");
        assertEquals(35432, options.postgresPort());
        assertTrue(options.verbose());
        assertEquals(40000, InfraOptions.parse("--controller-port", "40000").controllerPort());
    }

    @Test
    void rejectsBadCommandLines() {
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--kafka-port", "99999"));
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--kafka-port", "abc"));
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--postgres-port"));
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--nope"));
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--postgres-port", "29092"));
        assertThrows(InfraOptions.UsageException.class, () -> InfraOptions.parse("--kafka-port", "65535"));
        assertThrows(InfraOptions.HelpRequested.class, () -> InfraOptions.parse("--help"));
    }
}
