package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.Arrays;
import java.util.List;

/**
 * What a model takes and returns, recorded in its descriptor so a serving application can check
 * its inputs: named, typed columns for tabular models, or tensors with a type and shape.
 *
 * <pre>{@code
 * ModelSignature signature = new ModelSignature(
 *         List.of(Field.column("sepal_length", "double"), Field.column("sepal_width", "double")),
 *         List.of(Field.column("species", "string")));
 * ModelSignature images = new ModelSignature(
 *         List.of(Field.tensor("pixels", "float32", -1, 28, 28)),
 *         List.of(Field.tensor("logits", "float32", -1, 10)));
 * }</pre>
 *
 * @param inputs  what the model takes
 * @param outputs what it returns
 */
public record ModelSignature(List<Field> inputs, List<Field> outputs) {
    public ModelSignature {
        inputs = List.copyOf(InputRules.notNull("inputs", inputs));
        outputs = List.copyOf(InputRules.notNull("outputs", outputs));
    }

    /**
     * One input or output.
     *
     * @param name  its name
     * @param type  its element type: {@code double}, {@code long}, {@code string}, {@code float32}, ...
     * @param shape empty for a column; a tensor's dimensions, with -1 for a variable one
     */
    public record Field(String name, String type, List<Long> shape) {
        public Field {
            InputRules.text("signature field name", InputRules.notNull("name", name));
            InputRules.text("signature field type", InputRules.notNull("type", type));
            shape = List.copyOf(InputRules.notNull("shape", shape));
        }

        /** A tabular column. */
        public static Field column(String name, String type) {
            return new Field(name, type, List.of());
        }

        /** A tensor of the given shape; -1 marks a variable dimension, such as the batch size. */
        public static Field tensor(String name, String type, long... shape) {
            return new Field(name, type, Arrays.stream(InputRules.notNull("shape", shape)).boxed().toList());
        }

        /** Whether this field is a tensor rather than a column. */
        public boolean isTensor() {
            return !shape.isEmpty();
        }
    }
}
