package dev.vmlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The shape of a network: the input width, the dense layers with their activations, and the head.
 * Immutable.
 *
 * <p>Layer {@code l} computes {@code z^l = W^l o^{l-1} + b^l} and {@code o^l = σ^l(z^l)} with
 * {@code o^0 = x}. The last layer is the output layer; its activation is always
 * {@link Activation#IDENTITY} and its values go to the {@link Head}.
 *
 * <pre>{@code
 * Architecture arch = Architecture.builder(784)
 *     .hidden(256, Activation.RELU)
 *     .output(10, Head.SOFTMAX_CROSS_ENTROPY);
 * }</pre>
 */
public final class Architecture {
  /** Largest width accepted for any layer or input, so that padded sizes and offsets fit an int. */
  public static final int MAX_WIDTH = 1 << 20;
  /** Largest number of weights in one layer (so a layer fits one int-indexed row-major array). */
  public static final long MAX_LAYER_WEIGHTS = Integer.MAX_VALUE - 64L;
  /** Largest number of layers (hidden and output), so that every network fits a model file's 4,096 tensors. */
  public static final int MAX_LAYERS = 2048;

  private final int inputs;
  private final int[] units;
  private final Activation[] activations;
  private final Head head;

  private Architecture(int inputs, int[] units, Activation[] activations, Head head) {
    this.inputs = inputs;
    this.units = units;
    this.activations = activations;
    this.head = head;
  }

  /**
   * A network of {@code inputs} inputs, hidden layers of the given widths all using {@code activation},
   * and an output layer of {@code outputs} units.
   *
   * @throws IllegalArgumentException as {@link #builder}, {@link Builder#hidden} and
   *     {@link Builder#output} throw
   */
  public static Architecture of(int inputs, int[] hidden, Activation activation, int outputs, Head head) {
    Objects.requireNonNull(hidden, "hidden");
    Builder b = builder(inputs);
    for (int h : hidden) {
      b.hidden(h, activation);
    }
    return b.output(outputs, head);
  }

  /**
   * Starts a network with {@code inputs} input features.
   *
   * @throws IllegalArgumentException when {@code inputs} is outside [1, {@link Architecture#MAX_WIDTH}]
   */
  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  /** Adds layers one at a time; {@link #output} finishes. */
  public static final class Builder {
    private final int inputs;
    private final List<Integer> units = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();

    private Builder(int inputs) {
      checkWidth("inputs", inputs);
      this.inputs = inputs;
    }

    /**
     * Adds a hidden layer; a refused call leaves the builder as it was.
     *
     * @throws IllegalArgumentException when {@code width} is outside [1, {@link Architecture#MAX_WIDTH}]
     * @throws NullPointerException when {@code activation} is null
     */
    public Builder hidden(int width, Activation activation) {
      checkWidth("hidden layer " + (units.size() + 1) + " width", width);
      Objects.requireNonNull(activation, "activation"); // before the width is added: a refused call changes nothing
      units.add(width);
      activations.add(activation);
      return this;
    }

    /**
     * Adds the output layer and builds the architecture.
     *
     * @throws IllegalArgumentException when {@code width} is outside [1, {@link Architecture#MAX_WIDTH}],
     *     a softmax head gets fewer than 2 classes, the network has more than
     *     {@link Architecture#MAX_LAYERS} layers, or a layer more than
     *     {@link Architecture#MAX_LAYER_WEIGHTS} weights
     */
    public Architecture output(int width, Head head) {
      checkWidth("output width", width);
      Objects.requireNonNull(head, "head");
      if (head == Head.SOFTMAX_CROSS_ENTROPY && width < 2) {
        throw new IllegalArgumentException("a softmax head needs at least 2 classes, got " + width);
      }
      if (units.size() + 1 > MAX_LAYERS) {
        throw new IllegalArgumentException("a network has at most " + MAX_LAYERS + " layers (" + (MAX_LAYERS - 1)
            + " hidden), got " + (units.size() + 1));
      }
      int[] u = new int[units.size() + 1];
      Activation[] a = new Activation[u.length];
      for (int i = 0; i < units.size(); i++) {
        u[i] = units.get(i);
        a[i] = activations.get(i);
      }
      u[u.length - 1] = width;
      a[a.length - 1] = Activation.IDENTITY;
      int prev = inputs;
      for (int i = 0; i < u.length; i++) {
        long weights = (long) prev * u[i];
        if (weights > MAX_LAYER_WEIGHTS) {
          throw new IllegalArgumentException(
              "layer " + (i + 1) + " (" + prev + " x " + u[i] + ") has more than " + MAX_LAYER_WEIGHTS + " weights");
        }
        prev = u[i];
      }
      return new Architecture(inputs, u, a, head);
    }
  }

  private static void checkWidth(String what, int width) {
    if (width < 1 || width > MAX_WIDTH) {
      throw new IllegalArgumentException(what + " must be in [1, " + MAX_WIDTH + "], got " + width);
    }
  }

  /** Number of input features. */
  public int inputs() {
    return inputs;
  }

  /** Number of output units (classes, or regression targets). */
  public int outputs() {
    return units[units.length - 1];
  }

  /** Number of dense layers, the output layer included. */
  public int layerCount() {
    return units.length;
  }

  /** Number of inputs of layer {@code layer} (0-based). */
  public int layerInputs(int layer) {
    Objects.checkIndex(layer, units.length);
    return layer == 0 ? inputs : units[layer - 1];
  }

  /** Number of units of layer {@code layer} (0-based). */
  public int layerUnits(int layer) {
    Objects.checkIndex(layer, units.length);
    return units[layer];
  }

  /** Activation of layer {@code layer} (0-based); the output layer's is {@link Activation#IDENTITY}. */
  public Activation activation(int layer) {
    Objects.checkIndex(layer, units.length);
    return activations[layer];
  }

  /** The head. */
  public Head head() {
    return head;
  }

  /** All sizes from the input to the output, e.g. {@code [784, 256, 10]}. */
  public int[] sizes() {
    int[] s = new int[units.length + 1];
    s[0] = inputs;
    System.arraycopy(units, 0, s, 1, units.length);
    return s;
  }

  /** Number of trainable parameters (weights and biases). */
  public long parameterCount() {
    long n = 0;
    for (int l = 0; l < units.length; l++) {
      n += (long) layerInputs(l) * units[l] + units[l];
    }
    return n;
  }

  /** Multiply-adds of one forward pass. */
  public long forwardMultiplyAdds() {
    long n = 0;
    for (int l = 0; l < units.length; l++) {
      n += (long) layerInputs(l) * units[l];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture a
        && a.inputs == inputs
        && Arrays.equals(a.units, units)
        && Arrays.equals(a.activations, activations)
        && a.head == head;
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, Arrays.hashCode(units), Arrays.hashCode(activations), head);
  }

  /** E.g. {@code 784-256(relu)-10(softmax)}. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner("-");
    j.add(Integer.toString(inputs));
    for (int l = 0; l < units.length - 1; l++) {
      j.add(units[l] + "(" + activations[l].id() + ")");
    }
    j.add(outputs() + "(" + head.id() + ")");
    return j.toString();
  }
}
