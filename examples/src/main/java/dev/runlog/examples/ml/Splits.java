package dev.runlog.examples.ml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** Deterministic train/validation splits. */
public final class Splits {
    private Splits() {
    }

    /**
     * Row indices of a training set and a validation set.
     *
     * @param train      the training rows, ascending (file order)
     * @param validation the validation rows, ascending
     */
    public record Split(int[] train, int[] validation) {
    }

    /**
     * Puts {@code validationFraction} of each class's rows, chosen by a shuffle seeded with
     * {@code seed}, into the validation set, so both sets keep the class balance. The same seed
     * gives the same split on every JVM: {@link Random}'s sequence and {@link Collections#shuffle}'s
     * algorithm are both specified.
     */
    public static Split stratified(LabeledData data, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be between 0 and 1, got " + validationFraction);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < data.classNames().size(); c++) {
            int label = c;
            List<Integer> rows = new ArrayList<>(IntStream.range(0, data.size())
                    .filter(i -> data.labels()[i] == label).boxed().toList());
            Collections.shuffle(rows, random);
            int held = (int) Math.round(rows.size() * validationFraction);
            validation.addAll(rows.subList(0, held));
            train.addAll(rows.subList(held, rows.size()));
        }
        // Ascending order keeps the file's order, which ContinuousTraining reads as arrival time.
        return new Split(train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                validation.stream().mapToInt(Integer::intValue).sorted().toArray());
    }
}
