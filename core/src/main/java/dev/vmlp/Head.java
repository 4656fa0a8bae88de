package dev.vmlp;

import java.util.Locale;
import java.util.Objects;

/**
 * What the output layer's values mean and which loss trains them. The output layer itself is always
 * affine ({@code z = W o + b}); the head turns {@code z} into a prediction and a gradient.
 */
public enum Head {
  /**
   * Classification: {@code p = softmax(z)}, loss {@code L = -z_y + log Σ_c e^{z_c}} from a stable
   * log-sum-exp, gradient {@code ∂L/∂z = p - onehot(y)}.
   */
  SOFTMAX_CROSS_ENTROPY("softmax"),
  /**
   * Regression: the prediction is {@code z} itself, loss {@code L = ½ Σ_o (z_o - t_o)²}, gradient
   * {@code ∂L/∂z = z - t}.
   */
  SQUARED_ERROR("squared_error");

  private final String id;

  Head(String id) {
    this.id = id;
  }

  /** The name used on the command line and in model files. */
  public String id() {
    return id;
  }

  /** Whether this head predicts classes (labels) rather than real-valued targets. */
  public boolean classifies() {
    return this == SOFTMAX_CROSS_ENTROPY;
  }

  /**
   * Parses a head name, case-insensitively: {@code softmax} (also {@code softmax_cross_entropy},
   * {@code cross_entropy}, {@code classification}) or {@code squared_error} (also {@code mse},
   * {@code regression}).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   * @throws NullPointerException if {@code name} is null
   */
  public static Head parse(String name) {
    Objects.requireNonNull(name, "name");
    String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (key) {
      case "softmax", "softmax_cross_entropy", "classification", "cross_entropy" -> SOFTMAX_CROSS_ENTROPY;
      case "squared_error", "mse", "regression" -> SQUARED_ERROR;
      default -> throw new IllegalArgumentException(
          "unknown head '" + name + "'; expected softmax or squared_error");
    };
  }
}
