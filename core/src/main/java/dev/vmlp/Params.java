package dev.vmlp;

import dev.vmlp.internal.hash.FloatSha256;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** All layers of a network in the kernels' layout. Mutable; {@link Model} keeps a private copy. */
final class Params {
  final Architecture arch;
  final Layer[] layers;

  private Params(Architecture arch, Layer[] layers) {
    this.arch = arch;
    this.layers = layers;
  }

  /** Zero parameters for {@code arch}, in the training layout. */
  static Params zeros(Architecture arch) {
    return zeros(arch, false);
  }

  /** Zero parameters for {@code arch}; {@code oneBlock}: the first layer in one block (for a {@link Model}). */
  static Params zeros(Architecture arch, boolean oneBlock) {
    Layer[] layers = new Layer[arch.layerCount()];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = new Layer(l, arch.layerInputs(l), arch.layerUnits(l), arch.activation(l), l == layers.length - 1,
          oneBlock);
    }
    return new Params(arch, layers);
  }

  /**
   * Random weights from {@code seed}: He uniform {@code U(±√(6/fan_in))} before ReLU-family
   * activations, Glorot uniform {@code U(±√(6/(fan_in+fan_out)))} otherwise; zero biases. Weights are
   * drawn layer by layer in row-major {@code [out][in]} order from {@link SplitMix64}, so a seed gives
   * the same bits on every machine.
   */
  static Params initialize(Architecture arch, long seed) {
    Params p = zeros(arch);
    SplitMix64 rng = SplitMix64.forStream(seed, 0);
    for (Layer layer : p.layers) {
      double limit = layer.activation.reluFamily()
          ? Math.sqrt(6.0 / layer.in)
          : Math.sqrt(6.0 / (layer.in + layer.out));
      for (int o = 0; o < layer.out; o++) {
        for (int i = 0; i < layer.in; i++) {
          layer.setWeight(o, i, (float) ((2 * rng.nextDouble() - 1) * limit) + 0f);
        }
      }
    }
    return p;
  }

  /**
   * Parameters from portable weights, in the layout of a {@link Model}; a -0 bias is stored as +0.
   *
   * @throws IllegalArgumentException when the count or a shape does not match {@code arch}
   */
  static Params fromWeights(Architecture arch, List<LayerWeights> weights) {
    if (weights.size() != arch.layerCount()) {
      throw new IllegalArgumentException(
          "got weights for " + weights.size() + " layers, the architecture " + arch + " has " + arch.layerCount());
    }
    Params p = zeros(arch, true); // for a Model
    for (Layer layer : p.layers) {
      LayerWeights lw = Objects.requireNonNull(weights.get(layer.index), () -> "weights of layer " + layer.index);
      if (lw.outputs() != layer.out || lw.inputs() != layer.in) {
        throw new IllegalArgumentException("layer " + layer.index + " weights have shape [" + lw.outputs() + ", "
            + lw.inputs() + "], the architecture needs [" + layer.out + ", " + layer.in + "]");
      }
      for (int o = 0; o < layer.out; o++) {
        for (int i = 0; i < layer.in; i++) {
          layer.setWeight(o, i, lw.weights()[o * layer.in + i]);
        }
        layer.b[o] = lw.bias()[o] + 0f; // a -0 bias would break the sparse forward's equality (Kernels)
      }
    }
    return p;
  }

  /** Portable copies of all layers. */
  List<LayerWeights> toWeights() {
    List<LayerWeights> list = new ArrayList<>(layers.length);
    for (Layer layer : layers) {
      list.add(toWeights(layer));
    }
    return List.copyOf(list);
  }

  static LayerWeights toWeights(Layer layer) {
    float[] w = new float[Math.toIntExact(layer.weightCount())];
    for (int o = 0; o < layer.out; o++) {
      layer.row(o, w, o * layer.in);
    }
    float[] b = new float[layer.out];
    System.arraycopy(layer.b, 0, b, 0, layer.out);
    return new LayerWeights(layer.out, layer.in, w, b);
  }

  Params copy() {
    return copy(false);
  }

  /**
   * A copy with its own storage: in the layout a {@link Model} predicts from ({@code oneBlock}: the
   * first layer's rows contiguous) or in the one the trainer's threads split. Same values either way.
   */
  Params copy(boolean oneBlock) {
    Layer[] c = new Layer[layers.length];
    for (int l = 0; l < c.length; l++) {
      c[l] = layers[l].copy(oneBlock);
    }
    return new Params(arch, c);
  }

  /**
   * The first non-finite parameter as a message such as {@code "layer 1 weight [3, 17] = NaN"}, or
   * null when all are finite.
   */
  String firstNonFinite() {
    if (allFinite()) {
      return null; // the common case, in one pass over memory; the search below names the position
    }
    for (Layer layer : layers) {
      for (int o = 0; o < layer.out; o++) {
        if (!Float.isFinite(layer.b[o])) {
          return "layer " + layer.index + " bias [" + o + "] = " + layer.b[o];
        }
      }
      for (int o = 0; o < layer.out; o++) {
        for (int i = 0; i < layer.in; i++) {
          float v = layer.weight(o, i);
          if (!Float.isFinite(v)) {
            return "layer " + layer.index + " weight [" + o + ", " + i + "] = " + v;
          }
        }
      }
    }
    return null;
  }

  /** Whether every stored float is finite (the layout's padding holds zeros). */
  private boolean allFinite() {
    for (Layer layer : layers) {
      for (float v : layer.b) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
      long n = layer.w.byteSize() / Float.BYTES;
      for (long i = 0; i < n; i++) {
        if (!Float.isFinite(layer.w.getAtIndex(ValueLayout.JAVA_FLOAT, i))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The {@code weights_sha256} of these parameters ({@link FloatSha256#ofLayers}), as lower-case hex,
   * read from the layers in place: a portable copy of every weight first (which each snapshot and each
   * save made) took as much heap again as the model.
   */
  String sha256() {
    return FloatSha256.ofLayers(new FloatSha256.Layers() {
      @Override
      public int count() {
        return layers.length;
      }

      @Override
      public int outputs(int l) {
        return layers[l].out;
      }

      @Override
      public int inputs(int l) {
        return layers[l].in;
      }

      @Override
      public void weights(int l, int o, float[] dst) {
        layers[l].row(o, dst, 0);
      }

      @Override
      public void bias(int l, float[] dst) {
        System.arraycopy(layers[l].b, 0, dst, 0, layers[l].out);
      }
    });
  }
}
