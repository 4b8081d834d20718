package dev.runlog.storage.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunDataCodecTest {
    private static RunDataCodec.Data sample() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("lr", "0.1");
        params.put("名前", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ é");
        params.put("empty", "");
        Map<String, Metric> latest = new LinkedHashMap<>();
        latest.put("acc", new Metric("acc", Double.NaN, 3, 1_700_000_000_000L));
        latest.put("lösung/σ", new Metric("lösung/σ", -0.0, -1, 0));
        return new RunDataCodec.Data(params, Map.of("t\u0000x", "nul inside"), latest);
    }

    @Test
    void everyStringAndBitComesBackAsWritten() {
        RunDataCodec.Data data = sample();
        RunDataCodec.Data back = RunDataCodec.decode(RunDataCodec.encode(data));
        assertEquals(new ArrayList<>(data.params().entrySet()), new ArrayList<>(back.params().entrySet()));
        assertEquals(data.tags(), back.tags());
        assertEquals(new ArrayList<>(data.latest().keySet()), new ArrayList<>(back.latest().keySet()));
        Metric signedZero = back.latest().get("lösung/σ");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(signedZero.value()));
        assertEquals(-1, signedZero.step());
        assertTrue(Double.isNaN(back.latest().get("acc").value()));
        assertEquals(1_700_000_000_000L, back.latest().get("acc").timestamp());
    }

    @Test
    void aTruncatedOrGarbledRecordIsAnIntegrityExceptionNotAWrongRun() {
        byte[] blob = RunDataCodec.encode(sample());
        for (int cut = 0; cut < blob.length; cut++) {
            byte[] truncated = Arrays.copyOf(blob, cut);
            IntegrityException e = assertThrows(IntegrityException.class, () -> RunDataCodec.decode(truncated), "cut at " + cut);
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
        byte[] huge = blob.clone();
        huge[0] = (byte) 0x7f;
        assertThrows(IntegrityException.class, () -> RunDataCodec.decode(huge));
        byte[] negative = blob.clone();
        negative[0] = (byte) 0xff;
        assertThrows(IntegrityException.class, () -> RunDataCodec.decode(negative));
    }
}
