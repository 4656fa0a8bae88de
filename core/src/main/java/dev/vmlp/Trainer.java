package dev.vmlp;

import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.text.Excerpt;
import dev.vmlp.internal.text.Provenance;
import dev.vmlp.metrics.Evaluation;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Trains a network by per-sample SGD (batch size 1): after every sample,
 * {@code W^l -= η s^l (o^{l-1})ᵀ} and {@code b^l -= η s^l}. Mutable, and used by one thread at a time:
 * a call of {@link #fit}, {@link #trainSample} or {@link #snapshot()} while another thread's call runs
 * is refused ({@link IllegalStateException} naming that thread), and {@link #close()} stops the running
 * call and waits for it. The getters ({@link #architecture()}, {@link #kernelsName()},
 * {@link #epochsDone()}) are not refused, from any thread or after {@code close()}; {@code epochsDone}
 * read from another thread while a call runs may be out of date. Publish the current state to other
 * threads with {@link #snapshot()}.
 *
 * <p>Training is deterministic: the same seed, data and options give bit-identical weights on every
 * kernel implementation and vector width (compare {@link Model#weightsSha256()}).
 *
 * <pre>{@code
 * try (Trainer t = Trainer.builder(arch).learningRate(0.01f).seed(7).build()) {
 *   TrainingReport r = t.fit(train, test, 10);
 *   Model m = r.model();
 * }
 * }</pre>
 */
public final class Trainer implements AutoCloseable {
  /** {@link Builder#threads} value that lets the trainer choose (see {@link #autoThreads}). */
  public static final int AUTO_THREADS = 0;

  /**
   * Multiply-adds per sample (forward) that one more thread should have before it pays: a hand-off
   * costs about 0.1-0.3 µs per barrier, and below this a step is only a few microseconds.
   */
  static final long WORK_PER_THREAD = 100_000;

  /** Which first-layer kernels training uses. */
  public enum InputPath {
    /** Sparse when at most half of the (scaled) training inputs are non-zero, else dense. */
    AUTO,
    DENSE,
    SPARSE
  }

  private final Architecture arch;
  private final Params params;
  private final InputScaling scaling;
  private final float learningRate;
  private final long seed;
  private final boolean shuffle;
  /** Requested worker threads; {@link #AUTO_THREADS} lets {@link #autoThreads} decide per pass. */
  private final int threads;
  private final EpochListener listener;
  private final InputPath inputPath;
  private final Kernels kernels;
  private final int processors;
  /** Most multiply-adds between a pass's checks for a stop ({@link Engine#checkEvery}). */
  private final long checkWork;
  /** Most epochs whose statistics a fit's report keeps ({@link TrainingReport#KEPT_EPOCHS}). */
  private final int keptEpochs;
  /** Stops the worker threads of a trainer that was never closed, once it is unreachable. */
  private static final Cleaner CLEANER = Cleaner.create();
  /** The current engine, held apart from the trainer so that the cleaner can close it. */
  private final EngineHolder holder = new EngineHolder();
  private final Cleaner.Cleanable cleanable = CLEANER.register(this, holder);
  /** The thread whose call runs now (null between calls), and how deeply it is nested (listeners). */
  private final AtomicReference<Thread> user = new AtomicReference<>();
  private int userDepth;
  /** The thread that called {@link #close()} while another thread's call ran. */
  private volatile Thread closer;
  private final float[] onlineX;
  /** The online step's one-sample pass over these arrays, made once: a step allocates nothing. */
  private final int[] onlineLabel = new int[1];
  private final float[] onlineTarget;
  private final Pass onlinePass;
  private int epochsDone;
  /**
   * Samples of epoch {@code epochsDone + 1} trained already, in its order, by a pass that an interrupt
   * stopped (or by the model continued from): the next {@code fit} goes on from there.
   */
  private int epochSamples;
  /**
   * The size of the training set of that part-done epoch (0 when none, or when the model continued from
   * did not record it): its order is a shuffle of this many samples, so the rest of it is only there on
   * a training set of this size.
   */
  private int epochSize;
  /** The continued model's other metadata (its own keys, e.g. a dataset's name), carried into snapshots. */
  private final Map<String, String> keptMetadata;
  private long onlineSamples;
  /**
   * Whether the last step that moved the weights was an online one ({@link #trainSample}) rather than a
   * pass of {@link #fit}: which of them a snapshot that finds a weight not finite names.
   */
  private boolean lastStepOnline;
  private volatile boolean closed;
  /**
   * True while an engine runs a pass. The listener's {@code progress} is called from inside it, where
   * the weights are mid-update (a deferred first-layer update, other threads still writing).
   */
  private boolean inPass;
  /** What escaped a pass (a listener's or a worker's exception), after which the weights are part-updated. */
  private Throwable broken;
  /** How many {@code fit} calls are running: more than one when a listener's epochEnd calls fit again. */
  private int fitDepth;

  private Trainer(Builder b, Params params, InputScaling scaling) {
    scaling.checkWidth("the network", params.arch.inputs(), " inputs");
    this.arch = params.arch;
    this.params = params;
    this.scaling = scaling;
    this.learningRate = b.learningRate;
    this.seed = b.seed;
    this.shuffle = b.shuffle;
    this.epochsDone = b.start != null ? b.startEpochs : 0;
    this.epochSamples = b.start != null ? b.startEpochSamples : 0;
    this.epochSize = b.start != null && b.startEpochSamples > 0 ? b.startEpochSize : 0;
    this.onlineSamples = b.start != null ? b.startOnlineSamples : 0;
    this.keptMetadata = b.start != null ? kept(b.start.metadata()) : Map.of();
    this.threads = b.threads;
    this.listener = b.listener;
    this.inputPath = b.inputPath;
    this.kernels = b.kernels != null ? b.kernels : KernelProvider.get();
    this.processors = b.processors;
    this.checkWork = b.checkWork;
    this.keptEpochs = b.keptEpochs;
    this.onlineX = new float[arch.inputs()];
    this.onlineTarget = arch.head().classifies() ? null : new float[arch.outputs()];
    this.onlinePass = new Pass(onlineX, arch.inputs(), onlineLabel, onlineTarget,
        onlineTarget == null ? 0 : onlineTarget.length, null, new int[] {0}, 1, 0, null);
  }

  /** Training from random weights drawn from the builder's seed. */
  public static Builder builder(Architecture arch) {
    return new Builder(Objects.requireNonNull(arch, "arch"), null);
  }

  /**
   * Training that continues from {@code start} (the model is not changed): its weights and input
   * scaling, and, where its metadata records them (as every model a trainer made does, and the files
   * saved from one), its count of epochs (and of the samples of a part-done epoch, after an interrupt),
   * seed, learning rate and shuffle setting. So fitting
   * {@code n} more epochs on the same data continues the same sequence of shuffles and gives the bits of
   * one run that never stopped (compare {@link Model#weightsSha256()}); its other metadata keys are
   * carried into the trainer's snapshots. The builder's setters override
   * what the metadata gives (but for the recorded seed and shuffle setting of a part-done epoch, which
   * {@link Builder#build()} refuses to change); a model without it (from {@link Model#of} or a foreign
   * file) starts at epoch 0 with the builder's defaults.
   *
   * @throws IllegalArgumentException when a recorded value does not parse, naming its key and value,
   *     or when a weight or bias is NaN or infinite (a model from {@link Model#ofAllowingNonFinite}),
   *     naming it: training from it could only be reported as diverging
   */
  public static Builder builder(Model start) {
    Builder b = new Builder(Objects.requireNonNull(start, "start").architecture(), start);
    if (!start.finite()) {
      throw new IllegalArgumentException("the model to continue from has a parameter that is not finite ("
          + start.params().firstNonFinite() + "); training cannot start from it");
    }
    Map<String, String> meta = start.metadata();
    // each value is checked as a file's loader checks it (Provenance), then parsed
    b.startEpochs = recorded(meta, Provenance.EPOCHS, Integer::valueOf, 0);
    b.startEpochSamples = recorded(meta, Provenance.EPOCH_SAMPLES, Integer::valueOf, 0);
    b.startEpochSize = recorded(meta, Provenance.EPOCH_SIZE, Integer::valueOf, 0);
    Provenance.Problem pair = Provenance.epochProblem(meta);
    if (pair != null) {
      throw new IllegalArgumentException("the model's metadata '" + pair.key() + "': " + pair.message());
    }
    b.startOnlineSamples = recorded(meta, Provenance.ONLINE_SAMPLES, Long::valueOf, 0L);
    b.seed = recorded(meta, Provenance.SEED, Long::valueOf, b.seed);
    b.learningRate = recorded(meta, Provenance.LEARNING_RATE, Float::valueOf, b.learningRate);
    b.shuffle = recorded(meta, Provenance.SHUFFLE, Boolean::valueOf, b.shuffle);
    // only a recorded order binds the rest of a part-done epoch: without the key, the builder's value is
    // as good a guess as the default, and the one the caller may know
    b.startSeed = meta.containsKey(Provenance.SEED) ? b.seed : null;
    b.startShuffle = meta.containsKey(Provenance.SHUFFLE) ? b.shuffle : null;
    return b;
  }

  /**
   * A continued model's metadata less the file format's own keys ({@code vmlp.*}, which a save
   * rewrites), {@code epoch_samples} and {@code epoch_size} (written only while an epoch is part-done);
   * {@link #copy} writes the provenance keys over the rest.
   */
  private static Map<String, String> kept(Map<String, String> meta) {
    Map<String, String> m = new LinkedHashMap<>(meta);
    m.keySet().removeIf(k -> k.startsWith("vmlp.") || k.equals(Provenance.EPOCH_SAMPLES)
        || k.equals(Provenance.EPOCH_SIZE));
    return Map.copyOf(m);
  }

  /**
   * The value of {@code key} in a model's metadata, checked as a file's loader checks it and then parsed
   * by {@code parse}, or {@code absent}.
   */
  private static <T> T recorded(Map<String, String> meta, String key, Function<String, T> parse, T absent) {
    String v = meta.get(key);
    if (v == null) {
      return absent;
    }
    if (Provenance.problem(key, v) != null) {
      throw new IllegalArgumentException("the model's metadata '" + key + "' is '" + Excerpt.of(v, 40)
          + "', which does not parse as its " + key.replace('_', ' '));
    }
    return parse.apply(v);
  }



  /** Options of a {@link Trainer}. */
  public static final class Builder {
    private final Architecture arch;
    private final Model start;
    private float learningRate = 0.01f;
    private long seed = 42;
    private boolean shuffle = true;
    /** Epochs the starting model had already trained for (from its metadata). */
    private int startEpochs;
    /** Samples of the next epoch the starting model had trained on (from its metadata). */
    private int startEpochSamples;
    /** The size of the training set of that part-done epoch (from its metadata; 0 when not recorded). */
    private int startEpochSize;
    /** The seed and shuffle setting whose order that part-done epoch followed; null where not recorded. */
    private Long startSeed;
    private Boolean startShuffle;
    /** Single samples the starting model had been trained on with {@link #trainSample} (from its metadata). */
    private long startOnlineSamples;
    private int threads = 1;
    private EpochListener listener;
    private InputPath inputPath = InputPath.AUTO;
    private InputScaling scaling;
    private Kernels kernels;
    private int processors = Runtime.getRuntime().availableProcessors();
    private long checkWork = Engine.CHECK_WORK;
    private int keptEpochs = TrainingReport.KEPT_EPOCHS;

    private Builder(Architecture arch, Model start) {
      this.arch = arch;
      this.start = start;
    }

    /**
     * SGD step size η (default 0.01, or a continued model's).
     *
     * @throws IllegalArgumentException unless {@code eta} is finite and positive
     */
    public Builder learningRate(float eta) {
      if (!(eta > 0f) || !Float.isFinite(eta)) {
        throw new IllegalArgumentException("learning rate must be finite and positive, got " + eta);
      }
      this.learningRate = eta;
      return this;
    }

    /** Seed of the weight initialisation and of the per-epoch shuffles (default 42, or a continued model's). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether each epoch visits the samples in a fresh seeded random order (default true, or a continued
     * model's).
     */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * Worker threads (default 1), or {@link #AUTO_THREADS} to let the trainer decide from the network
     * and the data (see {@link Trainer#autoThreads}). More threads than the network has chunks of
     * hidden units are not used; the results are bit-identical for any count.
     *
     * @throws IllegalArgumentException for negative values
     */
    public Builder threads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("threads must be at least 1 (or AUTO_THREADS), got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Receives per-epoch statistics and progress. */
    public Builder listener(EpochListener listener) {
      this.listener = listener;
      return this;
    }

    /** Forces the dense or sparse first-layer kernels (default {@link InputPath#AUTO}). */
    public Builder inputPath(InputPath path) {
      this.inputPath = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * The map from raw features to network inputs (default none), which travels with the model.
     *
     * @throws IllegalArgumentException when a per-feature scaling is for another number of features
     *     than the network has inputs
     * @throws IllegalStateException when continuing from a model, which brings its own
     */
    public Builder scaling(InputScaling scaling) {
      if (start != null) {
        throw new IllegalStateException("the trainer continues from a model and uses its input scaling");
      }
      Objects.requireNonNull(scaling, "scaling");
      scaling.checkWidth("the network", arch.inputs(), " inputs"); // at once, as the other setters check
      this.scaling = scaling;
      return this;
    }

    /** For tests and benchmarks: the kernels to use instead of {@link KernelProvider#get()}. */
    Builder kernels(Kernels k) {
      this.kernels = k;
      return this;
    }

    /** For tests: the processor count the thread hand-offs assume instead of the machine's. */
    Builder processors(int n) {
      this.processors = n;
      return this;
    }

    /**
     * For tests: the most multiply-adds between a pass's checks for a stop, so that a small network
     * checks as often as a wide one does ({@link Engine#checkEvery}).
     */
    Builder checkWork(long work) {
      this.checkWork = work;
      return this;
    }

    /** For tests: the most epochs a fit's report keeps, fewer than {@link TrainingReport#KEPT_EPOCHS}. */
    Builder keptEpochs(int kept) {
      this.keptEpochs = kept;
      return this;
    }

    /**
     * The trainer.
     *
     * @throws IllegalArgumentException when the model continued from stopped part-way through an epoch
     *     and the seed or shuffle setting its metadata records was changed: the rest of that epoch would
     *     follow another order (some samples twice, others never), giving the weights of no run; a
     *     setting the metadata does not record may be set
     */
    public Trainer build() {
      // the order the part-done epoch followed, as far as the metadata records it
      boolean doneShuffle = startShuffle != null ? startShuffle : shuffle;
      long doneSeed = startSeed != null ? startSeed : seed;
      if (start != null && startEpochSamples > 0 && (shuffle != doneShuffle || (shuffle && seed != doneSeed))) {
        // the rest of the epoch would follow another order: some samples twice, others never
        throw new IllegalArgumentException("epoch " + (startEpochs + 1) + " of the model stopped after "
            + startEpochSamples + " samples in the order of " + order(doneShuffle, doneSeed) + "; "
            + order(shuffle, seed) + " would finish it in another order: keep the model's seed and shuffle "
            + "setting for the rest of that epoch");
      }
      if (start != null) {
        return new Trainer(this, start.params().copy(), start.scaling());
      }
      return new Trainer(this, Params.initialize(arch, seed), scaling != null ? scaling : InputScaling.none());
    }

    private static String order(boolean shuffle, long seed) {
      return shuffle ? "the shuffle of seed " + seed : "the data's own order (no shuffle)";
    }
  }

  public Architecture architecture() {
    return arch;
  }

  /** Name of the kernels in use, e.g. {@code scalar} or {@code vector-512}. */
  public String kernelsName() {
    return kernels.name();
  }

  /** Epochs completed by {@link #fit} so far, counting those of the model it continues from. */
  public int epochsDone() {
    return epochsDone;
  }

  /**
   * Trains for {@code epochs} epochs over {@code train} (raw features; the trainer applies its input
   * scaling), evaluating on {@code test} after each epoch when it is not null. The test set only
   * watches: a row of it whose outputs are not finite (inputs far outside the training range) counts
   * with an infinite loss and as a wrong answer (in no cell of the confusion matrix), and training goes
   * on.
   *
   * @throws IllegalArgumentException when {@code epochs} is below 1 (or would take the count past
   *     {@link Integer#MAX_VALUE}), {@code train} has no rows (or no more than the samples of a part-done
   *     epoch trained already, or another number of rows than that epoch's training set), the data does
   *     not fit the architecture, or a value of either set is not finite after the input scaling
   * @throws TrainingDivergedException when a loss or parameter becomes NaN or infinite. A sample whose loss
   *     is not finite changes no weight; the samples before it stay in and are counted as an interrupt's
   *     are, so the next {@code fit} goes on from that sample, whose loss these weights make non-finite
   *     whatever the learning rate: it diverges there again, before any step
   * @throws TrainingInterruptedException when the calling thread is interrupted; training stops after
   *     a whole sample, every update is applied, and the interrupt flag stays set. An epoch stopped
   *     part-way does not count yet: its samples' updates stay in, {@link #snapshot()} records how many
   *     ({@code epoch_samples}), and the next {@code fit}, or one continued from the snapshot, goes on
   *     with that epoch's next sample (its first epoch is the rest of this one), so the weights are
   *     those of a run that never stopped. An interrupt during the test set's evaluation stops it too;
   *     the epoch, whose updates are in, counts, and its {@code epochEnd} does not come
   * @throws IllegalStateException when a worker thread failed (the cause says why), when an
   *     exception escaped an earlier pass, or when another thread closed the trainer (training stops
   *     after a whole sample, within {@value Engine#CHECK_EVERY} samples, one more on several threads;
   *     that epoch does not count unless the stop fell at its end; closed
   *     while the test set is evaluated, the evaluation stops and the epoch, whose updates are in, counts).
   *     An exception from the listener reaches the caller as it is. From {@code progress} during an
   *     epoch it leaves the weights part-updated, and the trainer then takes no more calls but
   *     {@link #close()}; from {@code epochEnd}, or from the {@code progress} call that ends an epoch,
   *     it comes after the epoch's updates, which count, and training may go on. A listener that
   *     closes the trainer from {@code epochEnd} ends {@code fit} there: it returns the report of the
   *     epochs done
   */
  public TrainingReport fit(Dataset train, Dataset test, int epochs) {
    enter();
    try {
      return fitOwned(train, test, epochs);
    } finally {
      exit();
    }
  }

  private TrainingReport fitOwned(Dataset train, Dataset test, int epochs) {
    checkOpen();
    Objects.requireNonNull(train, "train"); // else named "data", after the model's own parameter
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (epochs > Integer.MAX_VALUE - epochsDone) {
      throw new IllegalArgumentException(epochs + " more epochs after " + epochsDone + " would exceed "
          + Integer.MAX_VALUE + " in all");
    }
    Model live = new Model(params, scaling, Map.of(), kernels);
    live.checkData(train);
    if (test != null) {
      live.checkData(test);
      test.checkScaledFinite(scaling);
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("dataset '" + train.name() + "' has no samples to train on");
    }
    if (epochSamples > 0 && epochSize != train.size()) { // epochSize > epochSamples (Provenance.epochProblem)
      throw new IllegalArgumentException("epoch " + (epochsDone + 1) + " stopped after " + epochSamples + " of "
          + epochSize + " samples, and dataset '" + train.name() + "' has " + train.size()
          + ": the rest of that epoch is on a training set of its size");
    }
    Dataset tr = scaling.kind() == InputScaling.Kind.NONE ? train : scaling.apply(train);
    boolean sparse = useSparse(tr);
    Engine eng = engine(threads == AUTO_THREADS ? autoThreads(arch, sparse ? tr.density() : 1.0) : threads);
    fitDepth++;
    try {
      return fit(live, test, epochs, tr, sparse, eng);
    } finally {
      fitDepth--;
    }
  }

  /** The epochs, on {@code tr} (the training set as scaled), with {@code live} a view of the weights. */
  private TrainingReport fit(Model live, Dataset test, int epochs, Dataset tr, boolean sparse, Engine eng) {
    SparseRows rows = sparse ? tr.sparseRows() : null;
    int n = tr.size();
    boolean classifies = arch.head().classifies();
    int[] order = new int[n];
    EpochLayout layout = shuffle ? new EpochLayout(tr, rows) : null;
    Workspace evalWs = live.newWorkspace();
    ArrayDeque<EpochStats> stats = new ArrayDeque<>(); // the last keptEpochs
    Evaluation lastTest = null;
    for (int e = 0; e < epochs; e++) {
      checkOpen(); // a listener's epochEnd may have closed it
      int epoch = epochsDone + 1;
      EpochLayout.fillIdentity(order);
      if (shuffle) {
        SplitMix64.forStream(seed, epoch).shuffle(order);
      }
      // an epoch that an interrupt stopped goes on with its next sample, as if it had never stopped
      int skip = epochSamples;
      int count = n - skip;
      if (skip > 0) {
        System.arraycopy(order, skip, order, 0, count);
      }
      Pass pass = layout != null
          ? layout.arrange(order, count, epoch, listener)
          : new Pass(tr.featureArray(), tr.featureCount(), tr.labelArray(), tr.targetArray(), tr.targetCount(),
              rows, order, count, epoch, listener);
      long t0 = System.nanoTime();
      Pass.Result res = run(eng, pass);
      if (res.done > 0) {
        lastStepOnline = false; // a pass that diverged at its first sample changed no weight
      }
      double seconds = (System.nanoTime() - t0) * 1e-9;
      if (Thread.currentThread().isInterrupted()) {
        res.interrupted = true; // a pass shorter than Engine.CHECK_EVERY samples never looks itself
      }
      if (res.done < count) {
        // stopped after whole samples, whose updates are in: interrupted, closed, or at a sample whose
        // loss diverged (its step changed nothing, so it is not counted)
        epochSamples += res.done;
        epochSize = n;
      }
      if (res.divergedAt >= 0) {
        String what = "the loss is " + res.divergedLoss;
        if (e == 0 && res.divergedAt == 0) {
          // e.g. a fit going on from a divergence's snapshot, at the sample that diverged: a lower rate cannot help
          throw TrainingDivergedException.beforeAnyStep(epoch, skip, order[0], what);
        }
        throw new TrainingDivergedException(epoch, skip + res.divergedAt, order[res.divergedAt], what);
      }
      Thread c = closer;
      if (c != null && res.done < count) {
        throw new IllegalStateException("the trainer was closed by " + named(c) + " in epoch " + epoch
            + ", after " + epochSamples + " of its samples (their updates are in)");
      }
      if (res.interrupted && res.done < count) {
        throw new TrainingInterruptedException(epoch, epochSamples);
      }
      // the engine reuses its result, and a listener's nested fit may run the engine again
      boolean interruptedLate = res.interrupted;
      double trainLoss = res.lossSum / count;
      double trainAcc = classifies ? (double) res.correct / count : Double.NaN;
      String bad = params.firstNonFinite();
      if (bad != null) {
        throw new TrainingDivergedException(epoch, -1, -1, bad);
      }
      epochsDone++; // the epoch's updates are in (before the listener, which may throw)
      epochSamples = 0;
      epochSize = 0;
      if (listener != null) {
        listener.progress(epoch, count, count);
      }
      double testLoss = Double.NaN;
      double testAcc = Double.NaN;
      if (test != null) {
        lastTest = live.evaluate(test, evalWs, false, () -> closer != null);
        if (lastTest == null) {
          // interrupted or closed while it watched the test set: the epoch's updates are in, and it counts
          throw stoppedAfter(epoch, n, "while it evaluated the test set after epoch " + epoch);
        }
        testLoss = lastTest.meanLoss();
        testAcc = lastTest.accuracy();
      }
      EpochStats es = new EpochStats(epoch, count, trainLoss, trainAcc, testLoss, testAcc, seconds);
      if (stats.size() == keptEpochs) {
        stats.removeFirst();
      }
      stats.add(es);
      if (listener != null) {
        listener.epochEnd(es);
      }
      if (interruptedLate) {
        // the interrupt, or a close() from another thread, came so late that the epoch finished: it
        // counts, and training stops here (the engine's stop says interrupted for both)
        throw stoppedAfter(epoch, n, "as epoch " + epoch + " ended");
      }
      if (closed) {
        break; // the listener closed the trainer: an early stop
      }
    }
    return new TrainingReport(List.copyOf(stats), copy(eng.threads()), lastTest, kernels.name(), sparse, eng.threads());
  }

  /**
   * What {@code fit} throws when training stops with epoch {@code epoch} of {@code samples} whole (it
   * counts): a close from another thread ({@code when} it was seen), or else an interrupt.
   */
  private RuntimeException stoppedAfter(int epoch, long samples, String when) {
    Thread closedBy = closer;
    return closedBy != null
        ? new IllegalStateException("the trainer was closed by " + named(closedBy) + " " + when
            + " (the epoch counts)")
        : new TrainingInterruptedException(epoch, samples);
  }

  /**
   * The thread count {@link #AUTO_THREADS} picks: one more thread for every {@link #WORK_PER_THREAD}
   * multiply-adds of a sample's forward pass (the first layer's counted at the share {@code density} of
   * non-zero inputs when the sparse kernels run), at most one per available processor and one per
   * chunk of the narrowest hidden layer. So small networks, where hand-offs would eat the gain, stay on
   * one thread.
   */
  static int autoThreads(Architecture arch, double density) {
    double work = 0;
    for (int l = 0; l < arch.layerCount(); l++) {
      double macs = (double) arch.layerInputs(l) * arch.layerUnits(l);
      work += l == 0 ? macs * density : macs;
    }
    int byWork = (int) Math.max(1, Math.floor(work / WORK_PER_THREAD));
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Math.min(Math.min(byWork, cores), ParallelEngine.maxThreads(arch)));
  }

  /** The engine for {@code n} threads (capped by what the network can use), reused while the count stays. */
  private Engine engine(int n) {
    Engine engine = holder.engine;
    if (fitDepth > 0 && engine != null) {
      return engine; // a call from a listener's epochEnd: the running fit holds this engine, so it stays
    }
    int use = Math.min(Math.max(1, n), ParallelEngine.maxThreads(arch));
    if (engine == null || engine.threads() != use) {
      if (engine != null) {
        holder.engine = null; // should the new one fail to start, no closed engine is left in use
        engine.close();
      }
      int checkEvery = Engine.checkEvery(arch, checkWork);
      engine = use == 1 ? new SingleEngine(kernels, params, learningRate, checkEvery)
          : new ParallelEngine(kernels, params, learningRate, use, processors, checkEvery);
      holder.engine = engine;
    }
    return engine;
  }

  /** For tests: makes {@code owner} the trainer's user, as if its call were running. */
  void holdFor(Thread owner) {
    user.set(owner);
    userDepth = 1;
  }

  /** For tests: whether the current engine's hand-offs treat the machine as oversubscribed. */
  boolean oversubscribed() {
    return holder.engine instanceof ParallelEngine pe && pe.oversubscribed();
  }

  /** The current engine (null before the first pass), for tests. */
  Engine currentEngine() {
    return holder.engine;
  }

  /** Worker threads of the current engine (none before the first pass), for tests. */
  Thread[] workerThreads() {
    return holder.engine instanceof ParallelEngine pe ? pe.workerThreads() : new Thread[0];
  }

  private boolean useSparse(Dataset scaled) {
    return switch (inputPath) {
      case DENSE -> false;
      case SPARSE -> true;
      case AUTO -> scaled.density() <= Forward.SPARSE_MAX_DENSITY;
    };
  }

  /**
   * One SGD step on one raw sample of a classifier (online learning).
   *
   * @param x the raw row, {@link Architecture#inputs()} values; read, not modified (the trainer scales
   *     a copy)
   * @return the sample's loss before the update
   * @throws IllegalArgumentException when the row length or label is wrong, or an input is NaN or
   *     infinite before or after the input scaling (named by index; the weights are unchanged)
   * @throws IllegalStateException when the head is a regressor's, or the model has been trained on
   *     {@link Long#MAX_VALUE} single samples (the most {@code online_samples} records; the weights are
   *     unchanged)
   * @throws TrainingDivergedException when the loss is not finite for finite inputs
   */
  public double trainSample(float[] x, int label) {
    enter();
    try {
      checkOpen();
      if (!arch.head().classifies()) {
        throw new IllegalStateException("the head is " + arch.head().id() + "; pass targets");
      }
      if (label < 0 || label >= arch.outputs()) {
        throw new IllegalArgumentException("label " + label + " is outside [0, " + arch.outputs() + ")");
      }
      return online(x, label, null);
    } finally {
      exit();
    }
  }

  /**
   * One SGD step on one raw sample of a regressor; {@code x} and {@code target} are read, not modified.
   *
   * @see #trainSample(float[], int)
   */
  public double trainSample(float[] x, float[] target) {
    enter();
    try {
      checkOpen();
      if (arch.head().classifies()) {
        throw new IllegalStateException("the head is " + arch.head().id() + "; pass a label");
      }
      Objects.requireNonNull(target, "target");
      if (target.length != arch.outputs()) {
        throw new IllegalArgumentException("target has " + target.length + " values, the model has "
            + arch.outputs());
      }
      for (int t = 0; t < target.length; t++) {
        if (!Float.isFinite(target[t])) {
          throw new IllegalArgumentException("target [" + t + "] is " + target[t] + "; the weights are unchanged");
        }
      }
      return online(x, -1, target);
    } finally {
      exit();
    }
  }

  private double online(float[] x, int label, float[] target) {
    Objects.requireNonNull(x, "input");
    if (onlineSamples == Long.MAX_VALUE) {
      // one more would wrap the count, and the snapshot would keep the continued model's for other weights
      throw new IllegalStateException("the model has been trained on " + Long.MAX_VALUE + " single samples, "
          + "the most " + Provenance.ONLINE_SAMPLES + " records; the weights are unchanged");
    }
    if (x.length != arch.inputs()) {
      throw new IllegalArgumentException("input has " + x.length + " values, the model expects " + arch.inputs());
    }
    scaling.apply(x, 0, onlineX, 0, x.length);
    // checked before the step: tanh and sigmoid saturate an infinite input to a finite loss, and the
    // update fma(g, inf, w) would then write NaN where g is 0
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(onlineX[i])) {
        throw new IllegalArgumentException("input [" + i + "] is " + x[i]
            + (Float.isFinite(x[i]) ? scaling.mapsTo(onlineX[i]) : "")
            + "; the weights are unchanged");
      }
    }
    onlineLabel[0] = label;
    if (target != null) {
      System.arraycopy(target, 0, onlineTarget, 0, target.length);
    }
    Pass.Result res = run(engine(threads == AUTO_THREADS ? autoThreads(arch, 1.0) : threads), onlinePass);
    if (res.divergedAt >= 0) {
      // the diverged step changed nothing: it is no sample trained, and the next one takes its number
      throw TrainingDivergedException.online(onlineSamples, "the loss is " + res.divergedLoss);
    }
    onlineSamples++;
    lastStepOnline = true;
    return res.lossSum;
  }

  /**
   * An immutable copy of the current network, safe to share with other threads while training goes
   * on. Its metadata records the provenance: seed, learning rate, epochs, shuffle, threads, kernels and
   * the weights' SHA-256; {@code threads} is the count of the last pass, or before any pass the count a
   * pass will use, left out under {@link #AUTO_THREADS} when the first pass's data decides it (the
   * sparse path's density); {@code epoch_samples} and {@code epoch_size} after an interrupt or a
   * diverged loss stopped an epoch part-way (the samples of the next epoch trained already, and the size
   * of its training set; a trainer that {@link #close()} stopped takes no more snapshots);
   * and {@code online_samples} once {@link #trainSample} has trained on any (counting those of the model
   * it continues): weights that single samples moved are not those of the epochs alone, and the
   * metadata says so.
   *
   * <p>Each snapshot is a full copy. Its weights live in native memory, which is freed only when the
   * garbage collector finds the model unreachable, and count against {@code -XX:MaxDirectMemorySize}
   * (by default the heap's maximum): a service that publishes often holds up to that much in copies
   * nobody uses before the JVM runs {@code System.gc()} to free them, and under
   * {@code -XX:+DisableExplicitGC} a snapshot then fails with {@link OutOfMemoryError}. Set the limit
   * to what the process can spare, and leave explicit collections on.
   *
   * @throws IllegalStateException when the trainer is closed or being closed, another thread's call
   *     runs, a pass is under way (from a listener's {@code progress}), or an exception escaped a pass
   * @throws TrainingDivergedException when a weight or bias is NaN or infinite: an online step whose
   *     loss was finite can overflow its update, and {@link #trainSample} scans no weights (the next
   *     step's loss would be NaN), so the copy is checked before it is published; it names the last
   *     online sample when an online step came last, else the epoch of the {@code fit} that stopped
   */
  public Model snapshot() {
    enter();
    try {
      checkOpen();
      Engine engine = holder.engine;
      Model m = copy(engine != null ? engine.threads() : threadsBeforeAnyPass());
      if (!m.finite()) {
        // the weights were finite when the trainer started (builder(model) refuses others), so a step of
        // this trainer overflowed them: the last online one, or else the fit whose epoch is part-done
        throw lastStepOnline ? TrainingDivergedException.atSnapshot(onlineSamples, params.firstNonFinite())
            : TrainingDivergedException.atSnapshotAfterFit(epochsDone + 1, params.firstNonFinite());
      }
      return m;
    } finally {
      exit();
    }
  }

  /**
   * The threads a snapshot records before any pass: those a pass would use, never more than the
   * network's chunks allow. Under {@link #AUTO_THREADS}, the count {@link #autoThreads} gives when the
   * network alone decides it (the same at every density of the data, or the dense path forced), else 0:
   * the first pass decides from its data's density, and until then no count is recorded (recording 1,
   * as it did, published a count that the pass then did not use).
   */
  private int threadsBeforeAnyPass() {
    if (threads != AUTO_THREADS) {
      return Math.min(Math.max(1, threads), ParallelEngine.maxThreads(arch));
    }
    int dense = autoThreads(arch, 1.0); // autoThreads grows with the density: 0 and 1 bound every pass's count
    return inputPath == InputPath.DENSE || autoThreads(arch, 0.0) == dense ? dense : 0;
  }

  /**
   * The model of the current weights, with its provenance ({@code threadsUsed}: the last pass's threads,
   * or 0 for none decided yet, which leaves {@code threads} out, a continued model's value included).
   */
  private Model copy(int threadsUsed) {
    Params copy = params.copy(true); // the layout a Model predicts from
    Map<String, String> meta = new LinkedHashMap<>(keptMetadata);
    meta.put(Provenance.SEED, Long.toString(seed));
    meta.put(Provenance.LEARNING_RATE, Float.toString(learningRate));
    meta.put(Provenance.EPOCHS, Integer.toString(epochsDone));
    if (epochSamples > 0) {
      meta.put(Provenance.EPOCH_SAMPLES, Integer.toString(epochSamples));
    }
    if (epochSamples > 0 && epochSize > 0) {
      meta.put(Provenance.EPOCH_SIZE, Integer.toString(epochSize));
    }
    if (onlineSamples > 0) {
      meta.put(Provenance.ONLINE_SAMPLES, Long.toString(onlineSamples));
    }
    meta.put(Provenance.SHUFFLE, Boolean.toString(shuffle));
    if (threadsUsed > 0) {
      meta.put(Provenance.THREADS, Integer.toString(threadsUsed));
    } else {
      meta.remove(Provenance.THREADS); // the continued model's: another run's count
    }
    meta.put("kernels", kernels.name());
    meta.put(Provenance.WEIGHTS_SHA256, copy.sha256());
    return new Model(copy, scaling, meta, kernels);
  }

  private Pass.Result run(Engine eng, Pass pass) {
    inPass = true;
    try {
      return eng.run(pass);
    } catch (Throwable e) {
      broken = e;
      throw e;
    } finally {
      inPass = false;
    }
  }

  /**
   * Makes the calling thread the trainer's user until {@link #exit()}; a nested call (from a listener)
   * counts as the same use.
   *
   * @throws IllegalStateException when another thread's call runs
   */
  private void enter() {
    Thread me = Thread.currentThread();
    if (user.get() == me) {
      userDepth++;
      return;
    }
    while (!user.compareAndSet(null, me)) {
      Thread other = user.get();
      if (other != null && !other.isAlive()) {
        // a StackOverflowError can end a thread between a call and its exit(): its call never ended
        throw new IllegalStateException(named(other) + " ended inside a call of the trainer, "
            + "which may have left its weights part-updated; only close() is accepted");
      }
      Thread closing = closer;
      if (other != null && closing != null) {
        // the running call is being stopped, or the closing thread holds the trainer: not a use to share
        throw new IllegalStateException("the trainer is being closed by " + named(closing));
      }
      if (other != null) {
        throw new IllegalStateException("the trainer is in use by " + named(other) + "; a trainer "
            + "takes calls from one thread at a time (give other threads its snapshots)");
      }
    }
    userDepth = 1;
  }

  /**
   * How messages name a thread: {@code thread 'NAME'}, or {@code unnamed thread #ID} for one without a
   * name (a virtual thread's default).
   */
  private static String named(Thread t) {
    String name = t.getName();
    return name.isEmpty() ? "unnamed thread #" + t.threadId() : "thread '" + name + "'";
  }

  private void exit() {
    if (--userDepth == 0) {
      user.set(null);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the trainer is closed");
    }
    Thread c = closer;
    if (c != null) {
      throw new IllegalStateException("the trainer is being closed by " + named(c));
    }
    if (broken != null) {
      throw new IllegalStateException("the trainer stopped when an exception escaped a pass (" + broken
          + "); its weights are part-updated, so it takes no more calls but close()", broken);
    }
    if (inPass) {
      throw new IllegalStateException("the trainer is in the middle of a pass (a call from EpochListener.progress?), "
          + "where its weights are being updated; take snapshots from epochEnd or after fit returns");
    }
  }

  /**
   * Stops the worker threads, if any (no thread of the trainer is alive when this returns), and
   * releases the trainer; later calls of {@code fit}, {@code trainSample} and {@code snapshot} throw
   * {@link IllegalStateException} (the getters still answer). From another thread than
   * the one whose call runs, it stops that call (training stops after a whole sample, within
   * {@value Engine#CHECK_EVERY} samples, one more on several threads, and {@code fit} throws
   * {@link IllegalStateException}) and
   * waits for it to end. From a listener's {@code epochEnd}, it ends {@code fit} after that epoch, and
   * {@code fit} returns the report of the epochs done. A trainer that is never closed stops its
   * workers once it is unreachable (when the garbage collector finds it so).
   *
   * @throws IllegalStateException when called from a listener's {@code progress}, in the middle of a pass
   */
  @Override
  public void close() {
    Thread me = Thread.currentThread();
    if (user.get() == me) {
      if (inPass) {
        checkOpen(); // throws: the pass still needs the engine
      }
      closeNow();
      return;
    }
    if (closed) {
      closeNow(); // waits for a close() under way in another thread: no worker is alive when this returns
      return;
    }
    closer = me;
    Engine running = holder.engine;
    if (running != null) {
      running.requestStop();
    }
    boolean interrupted = false;
    for (Thread u = user.get(); !user.compareAndSet(u != null && !u.isAlive() ? u : null, me); u = user.get()) {
      LockSupport.parkNanos(this, 1_000_000); // the running call stops at its next check
      interrupted |= Thread.interrupted(); // else each park would return at once, and this spin
    }
    try {
      closeNow();
    } finally {
      user.set(null);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the trainer; a second call waits for the first to have stopped the workers. */
  private void closeNow() {
    synchronized (holder) {
      closed = true;
      cleanable.clean(); // closes the engine, at most once (a second clean() returns at once)
    }
  }

  /** The trainer's engine, apart from the trainer: the cleaner's action must not reach the trainer. */
  private static final class EngineHolder implements Runnable {
    volatile Engine engine;

    @Override
    public void run() {
      Engine e = engine;
      engine = null;
      if (e != null) {
        e.close();
      }
    }
  }
}
