package dev.vmlp;

import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.text.ScalingKeys;
import dev.vmlp.metrics.Evaluation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trained network, immutable and safe to share between any number of threads: the architecture,
 * the parameters, the {@link InputScaling} applied to raw inputs, and free-form provenance metadata.
 * Obtain one from {@link Trainer#snapshot()}, {@link #initialize}, {@link #of}, or a model file
 * ({@link dev.vmlp.io.ModelFiles#load}).
 *
 * <p>Every prediction of a row gives the same bits, alone or inside a batch, on any kernel
 * implementation and width. Methods that take a {@link Workspace} allocate nothing (but for the scalar
 * kernels' per-thread scratch of 32 floats, made on a thread's first prediction: 280 bytes); the others
 * use a workspace kept per thread, one for each of the four architectures the thread used last (a
 * thread that alternates between more architectures, or a new thread, allocates a workspace on the
 * call). The per-thread workspaces hold no model, so a replaced snapshot is not kept reachable.
 * No method modifies its input array; the ones that write results say where.
 */
public final class Model {
  private final Architecture arch;
  private final Params params;
  private final InputScaling scaling;
  private final Map<String, String> metadata;
  private final Kernels kernels;
  /**
   * Whether every weight and bias is finite. The sparse path skips zero inputs, so it gives the dense
   * path's bits only then: with an infinite weight the dense product has {@code 0 * inf = NaN}. Models
   * that are not finite therefore always predict on the dense path, whatever the input's density.
   */
  private final boolean finite;

  /**
   * The workspaces of the methods without a workspace argument: per thread, shared by every model, the
   * most recently used architecture first. A thread that serves a stream of snapshots of one network
   * (see {@link Trainer#snapshot()}) so reuses one workspace instead of allocating one per snapshot.
   */
  private static final ThreadLocal<Workspace[]> LOCAL = ThreadLocal.withInitial(() -> new Workspace[4]);

  Model(Params params, InputScaling scaling, Map<String, String> metadata, Kernels kernels) {
    this(params, scaling, metadata, kernels, params.firstNonFinite() == null);
  }

  private Model(Params params, InputScaling scaling, Map<String, String> metadata, Kernels kernels, boolean finite) {
    this.arch = params.arch;
    this.params = params;
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    scaling.checkWidth("the model", arch.inputs(), " inputs");
    // sorted, so that the metadata (and a saved file's header) reads the same in every run
    this.metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(checkEntries(metadata))));
    this.kernels = kernels;
    this.finite = finite;
  }

  /**
   * A network with random weights from {@code seed}, the ones a {@link Trainer} built with that seed
   * starts from: He uniform {@code U(±√(6/fan_in))} before ReLU-family activations, Glorot uniform
   * {@code U(±√(6/(fan_in+fan_out)))} otherwise, zero biases.
   */
  public static Model initialize(Architecture arch, long seed) {
    return new Model(Params.initialize(arch, seed).copy(true), InputScaling.none(), Map.of(), KernelProvider.get());
  }

  /**
   * A network from portable weights, one {@link LayerWeights} per layer, copied (the arrays are not kept
   * or modified). A bias of {@code -0} is stored as {@code +0}, which the sparse path relies on, so
   * {@link #weights()} gives it back as {@code +0} and {@link #weightsSha256()} hashes that.
   *
   * @throws IllegalArgumentException when a shape does not match, a per-feature scaling is for another
   *     number of inputs, or a weight or bias is not finite (naming the layer and position)
   */
  public static Model of(Architecture arch, List<LayerWeights> weights, InputScaling scaling) {
    Params p = Params.fromWeights(arch, weights);
    String bad = p.firstNonFinite();
    if (bad != null) {
      throw new IllegalArgumentException("non-finite parameter: " + bad);
    }
    return new Model(p, scaling, Map.of(), KernelProvider.get(), true);
  }

  /**
   * Like {@link #of}, but keeps weights and biases that are NaN or infinite, e.g. to inspect a
   * network that diverged. Predictions of such a model may throw {@link NonFiniteException}; when a
   * weight is not finite they always take the dense path, where a zero input times an infinite weight
   * gives NaN as IEEE arithmetic says, whatever the input's density.
   *
   * @throws IllegalArgumentException when a shape does not match, or a per-feature scaling is for
   *     another number of inputs
   */
  public static Model ofAllowingNonFinite(Architecture arch, List<LayerWeights> weights, InputScaling scaling) {
    return new Model(Params.fromWeights(arch, weights), scaling, Map.of(), KernelProvider.get());
  }

  /**
   * This model with other metadata (replacing all of it).
   *
   * @throws NullPointerException when the map, a key or a value is null (naming the key)
   */
  public Model withMetadata(Map<String, String> newMetadata) {
    return new Model(params, scaling, newMetadata, kernels, finite);
  }

  /**
   * This model with another input scaling. The metadata of a loaded model describes the file's scaling
   * ({@code vmlp.scaling} and its values); where the scaling changes, those entries are left out, as
   * they no longer describe this model (a save writes the new scaling's).
   *
   * @throws IllegalArgumentException when a per-feature scaling is for another number of inputs
   */
  public Model withScaling(InputScaling newScaling) {
    Objects.requireNonNull(newScaling, "scaling");
    Map<String, String> meta = metadata;
    if (!newScaling.equals(scaling) && meta.keySet().stream().anyMatch(ScalingKeys::is)) {
      meta = new TreeMap<>(metadata);
      meta.keySet().removeIf(ScalingKeys::is);
    }
    return new Model(params, newScaling, meta, kernels, finite);
  }

  public Architecture architecture() {
    return arch;
  }

  public InputScaling scaling() {
    return scaling;
  }

  /** Provenance and other metadata: free-form keys and values. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Copies of every layer's weights, row-major {@code [out][in]}, and biases. */
  public List<LayerWeights> weights() {
    return params.toWeights();
  }

  /**
   * A copy of layer {@code layer}'s weights and bias.
   *
   * @throws IndexOutOfBoundsException when the layer does not exist
   */
  public LayerWeights layer(int layer) {
    Objects.checkIndex(layer, params.layers.length);
    return Params.toWeights(params.layers[layer]);
  }

  /**
   * SHA-256 over every parameter as little-endian float32, layer by layer, {@code W} row-major
   * {@code [out][in]} then {@code b}: for two models of one {@link #architecture()}, equal hashes mean
   * bit-identical networks. The layers' shapes are not hashed (the same values cut into other widths
   * hash alike), so compare the architectures too.
   */
  public String weightsSha256() {
    return params.sha256();
  }

  /** Name of the kernels this model predicts with, e.g. {@code vector-512}. */
  public String kernelsName() {
    return kernels.name();
  }

  /** New scratch memory for the allocation-free methods. */
  public Workspace newWorkspace() {
    return new Workspace(arch);
  }

  // ------------------------------------------------------------------ single rows

  /**
   * The predicted class of one raw input row, through this thread's own workspace.
   *
   * @throws IllegalArgumentException when {@code x} does not have exactly {@link Architecture#inputs()} values
   * @throws IllegalStateException when the head is not a classifier
   * @throws NonFiniteException when an output value is NaN or infinite
   * @see #predict(float[], int, Workspace)
   */
  public int predict(float[] x) {
    checkRowLength(x);
    return predict(x, 0, local());
  }

  /**
   * The predicted class (arg max of the logits, first on ties) of the raw row {@code x[off..off+inputs)}.
   *
   * @param ws modified (its scratch); for this model's {@link Architecture}
   * @throws IllegalArgumentException when the row is out of the array's bounds, the workspace is for
   *     another architecture, or, when the workspace checks inputs, a value is not finite (naming the
   *     index and the value, and the row when {@code x} holds more than one)
   * @throws IllegalStateException when the head is not a classifier
   * @throws NonFiniteException when an output value is NaN or infinite
   */
  public int predict(float[] x, int off, Workspace ws) {
    return predict(x, off, ws, false);
  }

  /** {@link #predict(float[], int, Workspace)}; {@code inBatch}: messages name the row even when {@code x} holds one. */
  private int predict(float[] x, int off, Workspace ws, boolean inBatch) {
    requireClassifier();
    forward(x, off, ws, inBatch);
    float[] logits = ws.buf.z[arch.layerCount() - 1];
    checkLogits(logits, x, off, inBatch);
    return Forward.argmax(logits, arch.outputs());
  }

  /**
   * Writes class probabilities (or regression outputs) of one raw row into {@code out}, through this
   * thread's own workspace.
   *
   * @param out modified; exactly {@link Architecture#outputs()} values
   * @return the predicted class, as {@link #predict(float[])} gives it, or -1 for a regressor
   * @throws IllegalArgumentException when {@code x} or {@code out} does not have exactly the model's
   *     number of inputs or outputs
   * @throws NonFiniteException when an output value is NaN or infinite ({@code out} is then unchanged)
   */
  public int predictProbabilities(float[] x, float[] out) {
    checkRowLength(x);
    if (out.length != arch.outputs()) {
      throw new IllegalArgumentException("output array has " + out.length + " values, the model has "
          + arch.outputs() + " outputs");
    }
    return predictProbabilities(x, 0, out, 0, local());
  }

  /**
   * Writes {@code softmax(z)} for a classifier, or {@code z} for a regressor, of the raw row at
   * {@code x[off..)} into {@code out[outOff .. outOff+outputs)}.
   *
   * @param out modified at {@code [outOff, outOff + outputs)} only; it may be {@code x} (the row is
   *     read first)
   * @param ws modified (its scratch)
   * @return the predicted class, as {@link #predict(float[], int, Workspace)} gives it (the arg max of
   *     the logits, which two probabilities that round alike cannot blur), or -1 for a regressor
   * @throws IllegalArgumentException when the output range is not inside {@code out}, or as
   *     {@link #predict(float[], int, Workspace)} throws
   * @throws NonFiniteException when an output value is NaN or infinite ({@code out} is then unchanged)
   */
  public int predictProbabilities(float[] x, int off, float[] out, int outOff, Workspace ws) {
    return predictProbabilities(x, off, out, outOff, ws, false);
  }

  /** {@link #predictProbabilities(float[], int, float[], int, Workspace)}; {@code inBatch} as for {@code predict}. */
  private int predictProbabilities(float[] x, int off, float[] out, int outOff, Workspace ws, boolean inBatch) {
    checkOutput(out, outOff, 1);
    forward(x, off, ws, inBatch);
    float[] logits = ws.buf.z[arch.layerCount() - 1];
    checkLogits(logits, x, off, inBatch); // as predict and predictLogits do: an infinite logit is an error here too
    if (arch.head().classifies()) {
      kernels.softmax(logits, arch.outputs(), -1, ws.buf.p, null);
      System.arraycopy(ws.buf.p, 0, out, outOff, arch.outputs());
      return Forward.argmax(logits, arch.outputs());
    }
    System.arraycopy(logits, 0, out, outOff, arch.outputs());
    return -1;
  }

  /**
   * Writes the output layer's values {@code z} (logits) of the raw row at {@code x[off..)} into
   * {@code out}.
   *
   * @param out modified at {@code [outOff, outOff + outputs)} only; it may be {@code x}
   * @param ws modified (its scratch)
   * @throws IllegalArgumentException as {@link #predictProbabilities(float[], int, float[], int, Workspace)} throws
   * @throws NonFiniteException when an output value is NaN or infinite ({@code out} is then unchanged)
   */
  public void predictLogits(float[] x, int off, float[] out, int outOff, Workspace ws) {
    checkOutput(out, outOff, 1);
    forward(x, off, ws, false);
    float[] logits = ws.buf.z[arch.layerCount() - 1];
    checkLogits(logits, x, off, false);
    System.arraycopy(logits, 0, out, outOff, arch.outputs());
  }

  // ------------------------------------------------------------------ batches

  /**
   * Predicted classes of {@code rows} raw rows stored row-major in {@code x}; identical to predicting
   * each row alone.
   *
   * @param classes modified at {@code [0, rows)}, row by row (when a row throws, the rows before it
   *     are written)
   * @param ws modified (its scratch)
   * @throws IllegalArgumentException when {@code rows} is negative, {@code x} or {@code classes} is too
   *     short, or as {@link #predict(float[], int, Workspace)} throws for a row
   * @throws IllegalStateException when the head is not a classifier
   * @throws NonFiniteException when an output value is NaN or infinite, naming the row
   */
  public void predictBatch(float[] x, int rows, int[] classes, Workspace ws) {
    requireClassifier();
    checkBatch(x, rows);
    if (classes.length < rows) {
      throw new IllegalArgumentException(rows + " rows need " + rows + " classes, the array has " + classes.length);
    }
    for (int r = 0; r < rows; r++) {
      classes[r] = predict(x, r * arch.inputs(), ws, true);
    }
  }

  /**
   * Probabilities (or regression outputs) of {@code rows} raw rows, row-major into
   * {@code out[rows * outputs]}; identical to predicting each row alone.
   *
   * @param out modified at {@code [0, rows * outputs)}, row by row (when a row throws, the rows before
   *     it are written); it may be {@code x} itself when the model has no more outputs than inputs,
   *     as each row is read before its outputs are written over it
   * @throws IllegalArgumentException when {@code rows} is negative, {@code x} or {@code out} is too
   *     short, {@code out} is {@code x} and a row's outputs would overwrite the next row, or as
   *     {@link #predict(float[], int, Workspace)} throws for a row
   * @throws NonFiniteException when an output value is NaN or infinite, naming the row
   */
  public void predictBatchProbabilities(float[] x, int rows, float[] out, Workspace ws) {
    checkBatch(x, rows);
    checkOutput(out, 0, rows);
    if (out == x && rows > 1 && arch.outputs() > arch.inputs()) {
      // row 0's outputs would land on row 1's inputs before they are read
      throw new IllegalArgumentException("out is the input array, and each row's " + arch.outputs()
          + " outputs would overwrite the next row's " + arch.inputs() + " inputs");
    }
    for (int r = 0; r < rows; r++) {
      predictProbabilities(x, r * arch.inputs(), out, r * arch.outputs(), ws, true);
    }
  }

  /**
   * Accuracy, mean loss and confusion matrix (classifiers), or the mean of {@code ½ Σ (z - t)²}, half the
   * summed squared error per sample (regressors), over the raw rows of {@code data}: the model applies its
   * {@link #scaling()} to each, as {@link #predict} does, so data already mapped by
   * {@link InputScaling#apply(Dataset)} would be scaled twice. An empty dataset gives 0 samples, with NaN
   * accuracy and loss.
   *
   * @throws IllegalArgumentException when the data does not fit the model
   * @throws NonFiniteException when a row gives an output that is NaN or infinite, as {@link #predict} does,
   *     naming the row ({@link NonFiniteException#row()})
   */
  public Evaluation evaluate(Dataset data) {
    return evaluate(data, newWorkspace());
  }

  Evaluation evaluate(Dataset data, Workspace ws) {
    return evaluate(data, ws, true, () -> false); // strict never asks; no null for a later reader to trip on
  }

  /**
   * With {@code strict}, an output that is not finite throws as in {@link #evaluate(Dataset)}; without,
   * its row counts with an infinite loss (a classifier's as a wrong answer, in no cell of the confusion
   * matrix): how {@link Trainer#fit} watches a test set, which should not stop a training whose weights
   * are finite. Without {@code strict} it also looks at the thread's interrupt flag as a training pass
   * does ({@link Engine#checkEvery}) and at its end, and returns null when it is set or {@code stopped}
   * says so (a trainer closed from another thread): a wide network's test set may take minutes, longer
   * than a signal's save waits.
   */
  Evaluation evaluate(Dataset data, Workspace ws, boolean strict, java.util.function.BooleanSupplier stopped) {
    checkData(data);
    Evaluation.Accumulator eb = Evaluation.accumulator(arch.head().classifies(), arch.outputs());
    float[] row = new float[arch.inputs()];
    float[] logits = ws.buf.z[arch.layerCount() - 1];
    int checkMask = Engine.checkEvery(arch) - 1;
    for (int i = 0; i < data.size(); i++) {
      if (!strict && (i & checkMask) == checkMask && stopAsked(stopped)) {
        return null;
      }
      data.copyRow(i, row, 0);
      forward(row, 0, ws, false);
      if (arch.head().classifies()) {
        int y = data.label(i);
        // as predict does: an infinite logit would give a loss of 0 or infinity
        if (outputsFinite(logits, data, i, strict)) {
          eb.addClassified(y, Forward.argmax(logits, arch.outputs()),
              kernels.softmax(logits, arch.outputs(), y, ws.buf.p, null));
        } else {
          eb.addUnanswered(y, Double.POSITIVE_INFINITY); // no class can be read from NaN or infinite logits
        }
      } else {
        double se = 0;
        for (int t = 0; t < arch.outputs(); t++) {
          double d = (double) logits[t] - data.target(i, t); // in float, 3e38 - (-3e38) overflowed
          se += d * d;
        }
        eb.addRegressed(outputsFinite(logits, data, i, strict) ? 0.5 * se : Double.POSITIVE_INFINITY);
      }
    }
    if (!strict && stopAsked(stopped)) {
      return null; // after the last check (a test set shorter than the interval, or its last rows)
    }
    return eb.build();
  }

  /** Whether a lenient {@link #evaluate} should stop: the thread is interrupted, or {@code stopped} says so. */
  private static boolean stopAsked(java.util.function.BooleanSupplier stopped) {
    return Thread.currentThread().isInterrupted() || stopped.getAsBoolean();
  }

  void checkData(Dataset data) {
    if (data.featureCount() != arch.inputs()) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.featureCount()
          + " features, the model expects " + arch.inputs());
    }
    if (data.hasLabels() != arch.head().classifies()) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has "
          + (data.hasLabels() ? "class labels" : "real targets") + ", the model's head is " + arch.head().id());
    }
    if (data.outputCount() > arch.outputs() || (!data.hasLabels() && data.outputCount() != arch.outputs())) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.outputCount()
          + (data.hasLabels() ? " classes" : " targets") + ", the model has " + arch.outputs() + " outputs");
    }
  }

  // ------------------------------------------------------------------ internals

  Params params() {
    return params;
  }

  /** Whether every weight and bias is finite. */
  boolean finite() {
    return finite;
  }

  Kernels kernels() {
    return kernels;
  }

  /** This thread's workspace for this model's architecture (see {@link #LOCAL}). */
  private Workspace local() {
    Workspace[] slots = LOCAL.get();
    for (int i = 0; i < slots.length; i++) {
      Workspace w = slots[i];
      if (w != null && (w.arch == arch || w.arch.equals(arch))) {
        if (i > 0) {
          System.arraycopy(slots, 0, slots, 1, i);
          slots[0] = w;
        }
        return w;
      }
    }
    System.arraycopy(slots, 0, slots, 1, slots.length - 1);
    slots[0] = newWorkspace();
    return slots[0];
  }

  private void checkRowLength(float[] x) {
    if (x.length != arch.inputs()) {
      throw new IllegalArgumentException("input has " + x.length + " values, the model expects " + arch.inputs());
    }
  }

  private void forward(float[] x, int off, Workspace ws, boolean inBatch) {
    if (ws.arch != arch && !ws.arch.equals(arch)) {
      throw new IllegalArgumentException("workspace is for " + ws.arch + ", the model is " + arch);
    }
    int n = arch.inputs();
    if (off < 0 || off > x.length - n) {
      throw new IllegalArgumentException("input row at offset " + off + " needs " + n + " values, the array has "
          + x.length);
    }
    Buffers buf = ws.buf;
    scaling.apply(x, off, buf.x, 0, n);
    if (ws.checksFinite()) {
      // after the scaling, which can overflow a finite value (the same compares as before it)
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(buf.x[i])) {
          throw new IllegalArgumentException(row(x, off, inBatch) + "input [" + i + "] is " + x[off + i]
              + (Float.isFinite(x[off + i]) ? scaling.mapsTo(buf.x[i]) : ", not finite"));
        }
      }
    }
    int nnz = kernels.nonZeros(buf.x, 0, n, buf.nz);
    boolean sparse = finite && nnz <= Forward.SPARSE_MAX_DENSITY * n;
    Forward.run(kernels, params, buf, buf.x, 0, buf.nz, 0, sparse ? nnz : -1);
  }

  /**
   * How a message names the row at {@code x[off..)}: nothing for a single row, its number in a batch
   * (rows start at multiples of the input count), also in a batch of one row ({@code inBatch}).
   */
  private String row(float[] x, int off, boolean inBatch) {
    int n = arch.inputs();
    if (!inBatch && off == 0 && x.length == n) {
      return "";
    }
    return "row " + off / n + (off % n == 0 ? "" : " (offset " + off + ")") + ", ";
  }

  /**
   * Throws when an output value of the row at {@code x[off..)} is NaN or infinite (e.g. from inputs far
   * outside the training range), naming the row as the finite check of the inputs does.
   */
  private void checkLogits(float[] z, float[] x, int off, boolean inBatch) {
    int i = firstNonFinite(z);
    if (i >= 0) {
      String where = row(x, off, inBatch);
      String problem = notFinite(z, i, x, off);
      throw new NonFiniteException(where + problem, where.isEmpty() ? -1 : off / arch.inputs(), problem);
    }
  }

  /** Index of the first output that is NaN or infinite, or -1. */
  private int firstNonFinite(float[] z) {
    for (int i = 0; i < arch.outputs(); i++) {
      if (!Float.isFinite(z[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Why output {@code z[i]} is not finite: an input of the row at {@code x[off..)} that is NaN or infinite
   * (which the workspace's finite check would have named), else inputs far outside the trained range
   * (a dataset's row, {@code x} null, holds finite values only), or, in a model that holds a parameter
   * that is not finite ({@link #ofAllowingNonFinite}), that parameter, which makes every output of the
   * dense path NaN or infinite whatever the input.
   */
  private String notFinite(float[] z, int i, float[] x, int off) {
    String hint = "inputs far outside the trained range?";
    for (int j = 0; x != null && j < arch.inputs(); j++) {
      if (!Float.isFinite(x[off + j])) {
        hint = "input [" + j + "] is " + x[off + j];
        break;
      }
    }
    return "output z[" + i + "] is " + z[i]
        + (finite ? " (" + hint + ")" : " (the model's " + params.firstNonFinite() + ")");
  }

  /** Whether every output is finite; when not and {@code strict}, throws naming the row instead. */
  private boolean outputsFinite(float[] z, Dataset data, int row, boolean strict) {
    int i = firstNonFinite(z);
    if (i >= 0 && strict) {
      throw NonFiniteException.inRow(data, row, notFinite(z, i, null, 0));
    }
    return i < 0;
  }

  private void requireClassifier() {
    if (!arch.head().classifies()) {
      throw new IllegalStateException("the model's head is " + arch.head().id() + "; use predictProbabilities for values");
    }
  }

  private void checkBatch(float[] x, int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("a batch of " + rows + " rows; the count cannot be negative");
    }
    if ((long) rows * arch.inputs() > x.length) {
      throw new IllegalArgumentException(rows + " rows of " + arch.inputs() + " inputs need "
          + (long) rows * arch.inputs() + " values, the array has " + x.length);
    }
  }

  private void checkOutput(float[] out, int outOff, int rows) {
    long need = (long) rows * arch.outputs();
    if (outOff < 0 || outOff + need > out.length) {
      throw new IllegalArgumentException("output needs " + need + " values at offset " + outOff
          + ", the array has " + out.length);
    }
  }

  /** {@code metadata}, once no key or value is null: {@code Map.copyOf} would throw an NPE naming neither. */
  private static Map<String, String> checkEntries(Map<String, String> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      Objects.requireNonNull(e.getKey(), "a metadata key is null");
      Objects.requireNonNull(e.getValue(), () -> "metadata key '" + e.getKey() + "' has a null value");
    }
    return metadata;
  }

  static Map<String, String> mutableCopy(Map<String, String> m) {
    return new LinkedHashMap<>(m);
  }

  @Override
  public String toString() {
    return "Model[" + arch + ", scaling " + scaling + "]";
  }
}
