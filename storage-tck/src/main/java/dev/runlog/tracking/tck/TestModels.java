package dev.runlog.tracking.tck;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Small models the kit logs and loads back: a record for the {@code json} flavor and a
 * {@link Serializable} class for the {@code java-serialized} one. Public, so that the flavors can
 * reach them from any store module's tests.
 */
public final class TestModels {
    private TestModels() {
    }

    /** What serving code asks a model for: an interface, to load a json model as (its class is recorded). */
    public interface Predictor {
        double predict(double[] x);
    }

    /**
     * A linear model: {@code predict(x) = weights · x + bias}. Equal by value, arrays included, so a
     * loaded copy equals the logged original.
     */
    public record LinearModel(double[] weights, double bias) implements Predictor {
        public LinearModel {
            Objects.requireNonNull(weights, "weights");
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        @Override
        public double predict(double[] x) {
            if (x.length != weights.length) {
                throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
            }
            double sum = bias;
            for (int i = 0; i < x.length; i++) {
                sum += weights[i] * x[i];
            }
            return sum;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LinearModel other && Arrays.equals(weights, other.weights)
                    && Double.compare(bias, other.bias) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(weights) + Double.hashCode(bias);
        }

        @Override
        public String toString() {
            return "LinearModel[weights=" + Arrays.toString(weights) + ", bias=" + bias + "]";
        }
    }

    /** An evaluation report, for logJson. */
    public record EvalReport(String model, double accuracy, List<Integer> confusion, boolean calibrated) {
    }

    /**
     * A perceptron kept with Java serialization: a name, weights and labels as a string, a double
     * array and a string array, which any loader allows. {@code extra} may hold any serializable
     * object, such as a JDK collection, or a class from a package the loader does not allow, to test
     * the deserialization filter.
     */
    public static final class Perceptron implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final double[] weights;
        private final String[] labels;
        private final Serializable extra;

        public Perceptron(String name, double[] weights, List<String> labels, Serializable extra) {
            this.name = Objects.requireNonNull(name, "name");
            this.weights = weights.clone();
            this.labels = labels.toArray(String[]::new);
            this.extra = extra;
        }

        public String name() {
            return name;
        }

        public List<String> labels() {
            return List.of(labels);
        }

        public Serializable extra() {
            return extra;
        }

        /** The label of the sign of {@code weights · x}: the first label for negative, the second otherwise. */
        public String classify(double[] x) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += weights[i] * x[i];
            }
            return labels[sum < 0 ? 0 : 1];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Perceptron other && name.equals(other.name) && Arrays.equals(weights, other.weights)
                    && Arrays.equals(labels, other.labels) && Objects.equals(extra, other.extra);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(weights), Arrays.hashCode(labels), extra);
        }

        @Override
        public String toString() {
            return "Perceptron[" + name + ", " + Arrays.toString(weights) + ", " + Arrays.toString(labels) + ", " + extra + "]";
        }
    }
}
