/**
 * JUnit 5 support for testing training code with Runlog: {@link dev.runlog.junit.RunlogExtension}
 * gives each test a fresh tracker and model registry and removes them afterwards, and
 * {@link dev.runlog.junit.RunlogAssertions} checks runs and model versions with messages that show
 * what they did have.
 *
 * <pre>{@code
 * @ExtendWith(RunlogExtension.class)
 * class TrainerTest {
 *     @Test
 *     void trainsIris(Tracker tracker) {
 *         Run run = tracker.run("iris", r -> new Trainer(0.1).train(r));
 *         assertThat(run).hasParam("lr", 0.1).hasMetricAtLeast("accuracy", 0.9);
 *     }
 * }
 * }</pre>
 */
package dev.runlog.junit;
