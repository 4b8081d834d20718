package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user depending on tracking-core alone gets none of the libraries the integration modules
 * bring: this module's test class path holds everything its users resolve (and its test
 * dependencies), so a dependency added to tracking-core that drags one in fails here.
 */
class IntegrationsStayOptionalTest {
    @Test
    void noXGBoostTribuoNorScalaOnTrackingCoresClassPath() {
        for (String className : List.of("ml.dmlc.xgboost4j.java.Booster", "org.tribuo.Model", "scala.Predef",
                "com.oracle.labs.mlrg.olcut.provenance.Provenance", "dev.runlog.xgboost.XGBoostTracking",
                "dev.runlog.tribuo.TribuoTracking")) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName(className, false, IntegrationsStayOptionalTest.class.getClassLoader()), className);
        }
    }
}
