package dev.runlog.tracking.internal;

import java.util.List;
import java.util.random.RandomGenerator;

/** Generated run names in MLflow's style ("brave-owl-417"): easy to say, tell apart and search. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of(
            "agile", "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager",
            "fleet", "gentle", "glad", "grand", "keen", "kind", "lively", "lucid", "merry", "nimble",
            "noble", "polite", "proud", "quick", "quiet", "rapid", "sharp", "shiny", "silent", "smart",
            "steady", "swift", "tidy", "vivid", "warm", "wise", "witty", "zesty");
    private static final List<String> NOUNS = List.of(
            "ant", "bass", "bat", "bear", "bee", "crane", "crow", "deer", "dove", "eel", "elk", "finch",
            "fox", "frog", "goat", "hare", "hawk", "heron", "ibis", "jay", "koala", "lark", "lynx", "mole",
            "moth", "newt", "otter", "owl", "panda", "quail", "raven", "seal", "shrew", "snail", "stork",
            "swan", "toad", "trout", "vole", "wolf", "wren", "yak", "zebra");

    private RunNames() {
    }

    static String generate(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-"
                + NOUNS.get(random.nextInt(NOUNS.size())) + "-" + random.nextInt(1000);
    }
}
