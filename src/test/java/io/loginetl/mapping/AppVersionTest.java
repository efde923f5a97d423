package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppVersionTest {

    @ParameterizedTest
    @CsvSource({
        "2.3.0, 2003000",
        "3.7, 3007000",
        "0.96, 96000",
        "3, 3000000",
        "1.0.12, 1000012",
        "' 2.10.1 ', 2010001",
        "2147.483.647, 2147483647",
    })
    void encodesMajorMinorPatchIntoOneInteger(String version, int encoded) {
        assertEquals(encoded, AppVersion.encode(version));
    }

    @Test
    void nullStaysNull() {
        assertNull(AppVersion.encode(null));
    }

    @Test
    void integerOrderIsVersionOrder() {
        List<String> inVersionOrder = List.of("0.9", "0.96", "0.100", "1.0.0", "1.0.12", "1.2", "2.3.0", "2.10.1", "3.7", "10.0");
        List<String> sortedByCode = new ArrayList<>(inVersionOrder);
        java.util.Collections.reverse(sortedByCode);
        sortedByCode.sort(Comparator.comparing(AppVersion::encode));

        assertEquals(inVersionOrder, sortedByCode);
    }

    @Test
    void decodeIsTheInverse() {
        assertEquals("2.3.0", AppVersion.decode(AppVersion.encode("2.3.0")));
        assertEquals("0.96.0", AppVersion.decode(AppVersion.encode("0.96")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "beta", "2.3.0-beta", "1.2.3.4", "v2", "1..2", "-1.0"})
    void rejectsWhatIsNotAVersion(String version) {
        InvalidLoginException e = assertThrows(InvalidLoginException.class, () -> AppVersion.encode(version));
        assertEquals("app_version is not a version of the form MAJOR[.MINOR[.PATCH]]", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1000", "1.2.1000", "2147.483.648", "2148.0.0", "99999999.0"})
    void rejectsWhatWouldCollideOrOverflow(String version) {
        assertThrows(InvalidLoginException.class, () -> AppVersion.encode(version));
    }
}
