package dev.runlog.registry;

/**
 * A check a model version must pass before {@link ModelRegistry#promote} moves it to a stage.
 * {@link Gates} has the usual ones; any lambda is a gate too:
 *
 * <pre>{@code
 * Gate trainedOnFullData = candidate -> candidate.run().data().params().get("subset") == null
 *         ? GateResult.pass("trained on the full data set")
 *         : GateResult.fail("trained on the full data set", "subset=" + candidate.run().data().params().get("subset"), "no subset");
 * }</pre>
 *
 * <p>A gate must not change the registry; it may be evaluated more than once for one promotion,
 * when another promotion to the same stage lands while the gates are being checked.
 */
@FunctionalInterface
public interface Gate {

    /** Checks the candidate; returns the verdict, passed or failed, with what was compared. */
    GateResult check(PromotionCandidate candidate);
}
