package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VaultCommandsTest {

    @Test
    void originalsCannotForgeOutputLinesOrReachTheTerminalAsControlCharacters() {
        assertEquals("199.172.111.135", VaultCommands.escape("199.172.111.135"));
        assertEquals("x\\nfake\\tline", VaultCommands.escape("x\nfake\tline"));
        assertEquals("\\u001b[31mred", VaultCommands.escape("\u001b[31mred"));
        assertEquals("back\\\\slash\\r", VaultCommands.escape("back\\slash\r"));
    }
}
