package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.StoreException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published text form of schemas and profiles: what stores sharing a database read and write. */
class DatasetCodecTest {

    @Test
    void everyDoubleOfAProfileComesBackBitForBit() {
        Dataset.Histogram histogram = new Dataset.Histogram(List.of(-0.0, 1.0), List.of(3L));
        Dataset.Profile profile = new Dataset.Profile(4, Map.of(
                "x", new Dataset.ColumnProfile(0, 4, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        -0.0, histogram)));
        Dataset.Profile read = DatasetCodec.profileFromText(DatasetCodec.profileToText(profile));
        assertEquals(profile, read);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(read.columns().get("x").std()));
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(read.columns().get("x").histogram().edges().get(0)));
    }

    @Test
    void aSchemaComesBackInOrderAndTextOfANewerRunlogStillReads() {
        List<Dataset.Column> schema = List.of(new Dataset.Column("b", "double"), new Dataset.Column("a", "string"));
        assertEquals(schema, DatasetCodec.schemaFromText(DatasetCodec.schemaToText(schema)));
        assertEquals(List.of(new Dataset.Column("a", "long")),
                DatasetCodec.schemaFromText("[{\"name\":\"a\",\"type\":\"long\",\"unit\":\"cm\"}]"));
    }

    @Test
    void extensionsComeBackAndAProfileStoredBeforeThemReadsWithNone() {
        Dataset.Profile profile = new Dataset.Profile(2, Map.of(), Map.of("runlog.drift.reference", "UkxSRg=="));
        assertEquals(profile, DatasetCodec.profileFromText(DatasetCodec.profileToText(profile)));
        Dataset.Profile old = DatasetCodec.profileFromText("{\"rowCount\":3,\"columns\":{}}");
        assertEquals(new Dataset.Profile(3, Map.of()), old);
        assertEquals(Map.of(), old.extensions());
    }

    @Test
    void damagedTextIsAStoreExceptionNamingWhatItShouldHaveBeen() {
        StoreException e = assertThrows(StoreException.class, () -> DatasetCodec.profileFromText("{\"rowCount\": [}"));
        assertTrue(e.getMessage().contains("Profile"), e.getMessage());
    }
}
