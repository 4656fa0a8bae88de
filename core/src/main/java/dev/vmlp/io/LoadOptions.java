package dev.vmlp.io;

import dev.vmlp.Activation;
import dev.vmlp.Head;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ModelFiles#load(java.nio.file.Path, LoadOptions)} reads a file. Immutable.
 *
 * <p>The activations and the head describe files that carry no architecture metadata, such as
 * weights exported from PyTorch. For a file written by this library they may be left out; when given,
 * they must agree with the file.
 *
 * @param activations the hidden layers' activations: empty when not given, one entry for all hidden
 *     layers, or one per hidden layer
 * @param head the head, or null when not given (a file without metadata then gets
 *     {@link Head#SOFTMAX_CROSS_ENTROPY})
 * @param allowNonFinite whether NaN or infinite weights are kept instead of rejected
 */
public record LoadOptions(List<Activation> activations, Head head, boolean allowNonFinite) {

  /** @throws NullPointerException when {@code activations} or one of them is null (naming its index) */
  public LoadOptions {
    Objects.requireNonNull(activations, "activations");
    for (int i = 0; i < activations.size(); i++) {
      int index = i;
      Objects.requireNonNull(activations.get(i), () -> "activation " + index + " is null");
    }
    activations = List.copyOf(activations);
  }

  /** Nothing given; non-finite weights are rejected. */
  public static LoadOptions defaults() {
    return new LoadOptions(List.of(), null, false);
  }

  /** These options with {@code activation} for every hidden layer. */
  public LoadOptions withActivation(Activation activation) {
    return new LoadOptions(List.of(Objects.requireNonNull(activation, "activation")), head, allowNonFinite);
  }

  /** These options with one activation per hidden layer (or one for all). */
  public LoadOptions withActivations(List<Activation> perHiddenLayer) {
    return new LoadOptions(perHiddenLayer, head, allowNonFinite);
  }

  /** These options with {@code head}. */
  public LoadOptions withHead(Head head) {
    return new LoadOptions(activations, Objects.requireNonNull(head, "head"), allowNonFinite);
  }

  /** These options keeping ({@code true}) or rejecting NaN and infinite weights. */
  public LoadOptions withAllowNonFinite(boolean allow) {
    return new LoadOptions(activations, head, allow);
  }
}
