package dev.vmlp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One layer's parameters in the portable layout: {@code weights} row-major {@code [outputs][inputs]}
 * (the weight from input {@code i} to unit {@code o} at {@code o * inputs + i}) and {@code bias[outputs]},
 * independent of how the library stores them internally. This is the layout of PyTorch's
 * {@code nn.Linear.weight}.
 *
 * <p>The record holds the arrays it is given; {@link #of} and {@link #toMatrix} copy.
 */
public record LayerWeights(int outputs, int inputs, float[] weights, float[] bias) {

  /**
   * @throws IllegalArgumentException when the array lengths do not match {@code outputs} and {@code inputs}
   */
  public LayerWeights {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(bias, "bias");
    if (outputs < 1 || inputs < 1) {
      throw new IllegalArgumentException("layer shape must be positive, got [" + outputs + ", " + inputs + "]");
    }
    if ((long) outputs * inputs != weights.length) {
      throw new IllegalArgumentException("weights has " + weights.length + " values, expected outputs x inputs = "
          + outputs + " x " + inputs + " = " + (long) outputs * inputs);
    }
    if (bias.length != outputs) {
      throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outputs);
    }
  }

  /**
   * Copies a {@code [outputs][inputs]} matrix and a bias vector.
   *
   * @throws IllegalArgumentException when the matrix has no rows, empty rows or rows of different
   *     lengths, more than {@link Architecture#MAX_LAYER_WEIGHTS} values (more than a layer may have),
   *     or the bias has another length than the rows
   * @throws NullPointerException when the matrix, a row of it or the bias is null (naming it)
   */
  public static LayerWeights of(float[][] weights, float[] bias) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(bias, "bias"); // else an NPE naming "[F.clone()"
    if (weights.length == 0) {
      throw new IllegalArgumentException("weights has no rows");
    }
    for (int o = 0; o < weights.length; o++) {
      if (weights[o] == null) {
        throw new NullPointerException("weights row " + o);
      }
    }
    int in = weights[0].length;
    for (int o = 1; o < weights.length; o++) {
      if (weights[o].length != in) { // before the size check, whose message takes every row to be row 0's length
        throw new IllegalArgumentException("weights row " + o + " has " + weights[o].length + " values, row 0 has " + in);
      }
    }
    long values = (long) weights.length * in;
    if (values > Architecture.MAX_LAYER_WEIGHTS) {
      // Math.multiplyExact threw an ArithmeticException ("integer overflow") past 2^31 - 1
      throw new IllegalArgumentException("weights has " + weights.length + " rows of " + in + " values, " + values
          + " in all; a layer has at most " + Architecture.MAX_LAYER_WEIGHTS + " weights");
    }
    float[] flat = new float[(int) values];
    for (int o = 0; o < weights.length; o++) {
      System.arraycopy(weights[o], 0, flat, o * in, in);
    }
    return new LayerWeights(weights.length, in, flat, bias.clone());
  }

  /** The weight from input {@code i} to unit {@code o}. */
  public float weight(int o, int i) {
    java.util.Objects.checkIndex(o, outputs);
    java.util.Objects.checkIndex(i, inputs);
    return weights[o * inputs + i];
  }

  /** A copy as {@code [outputs][inputs]}. */
  public float[][] toMatrix() {
    float[][] m = new float[outputs][];
    for (int o = 0; o < outputs; o++) {
      m[o] = Arrays.copyOfRange(weights, o * inputs, (o + 1) * inputs);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerWeights l
        && l.outputs == outputs
        && l.inputs == inputs
        && Arrays.equals(l.weights, weights)
        && Arrays.equals(l.bias, bias);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
  }

  @Override
  public String toString() {
    return "LayerWeights[" + outputs + " x " + inputs + "]";
  }
}
