package dev.vmlp;

import java.util.Locale;
import java.util.Objects;

/**
 * Element-wise activation functions of a dense layer, with the names used on the command line and in
 * model files.
 *
 * <p>Sigmoid and tanh are evaluated with the library's own FMA polynomial for {@code exp} (see
 * {@code dev.vmlp.internal.kernel.ExpMath}), not {@link Math#exp}, so that every kernel width gives
 * the same bits.
 */
public enum Activation {
  /** {@code σ(z) = z}. */
  IDENTITY("identity"),
  /** {@code σ(z) = 1 / (1 + e^-z)}. */
  SIGMOID("sigmoid"),
  /** {@code σ(z) = tanh z}. */
  TANH("tanh"),
  /**
   * {@code σ(z) = max(z, 0)}. At the kink {@code z = 0} (either sign of zero) training takes the
   * derivative as 0, as PyTorch does: a unit whose pre-activation is exactly 0 passes no gradient.
   */
  RELU("relu"),
  /**
   * {@code σ(z) = z > 0 ? z : 0.01 z}. At the kink {@code z = 0} training takes the derivative as 0.01,
   * the slope of the negative side, as PyTorch does.
   */
  LEAKY_RELU("leaky_relu");

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final float LEAKY_SLOPE = 0.01f;

  private final String id;

  Activation(String id) {
    this.id = id;
  }

  /** The name used on the command line and in model files, e.g. {@code "leaky_relu"}. */
  public String id() {
    return id;
  }

  /** Whether He initialisation suits this activation (the ReLU family); otherwise Glorot is used. */
  boolean reluFamily() {
    return this == RELU || this == LEAKY_RELU;
  }

  /**
   * Parses an activation name, case-insensitively; {@code leaky-relu} and {@code leakyrelu} are accepted
   * for {@code leaky_relu}.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   * @throws NullPointerException if {@code name} is null
   */
  public static Activation parse(String name) {
    Objects.requireNonNull(name, "name");
    String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (key.equals("leakyrelu")) {
      key = "leaky_relu";
    }
    for (Activation a : values()) {
      if (a.id.equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "'; expected one of identity, sigmoid, tanh, relu, leaky_relu");
  }
}
