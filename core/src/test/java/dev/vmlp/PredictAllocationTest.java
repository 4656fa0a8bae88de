package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Predictions allocate nothing once warm: the bytes this thread allocates over 10,000 calls (as the
 * JVM counts them, {@code com.sun.management.ThreadMXBean}) are 0, for dense and sparse inputs, both
 * heads, every prediction method, and a stream of snapshots served through the per-thread workspace;
 * and so do online training steps ({@code trainSample}) on one thread and on two.
 *
 * <p>Each case is warmed up (so that the JIT has compiled the path), then measured in up to
 * {@value #ROUNDS} rounds of 10,000 calls; it passes when one round allocates nothing at all. A path that
 * allocates per call allocates in every round (at least 160,000 bytes for 16-byte objects), so it cannot
 * pass. Until C2 has compiled a vector kernel, the Vector API runs it in Java and allocates: with four
 * architectures in turn at 512 bits, on two cores under a build, that lasted past five rounds.
 */
public class PredictAllocationTest {
  public static final int CALLS = 10_000;
  /** Rounds of {@link #CALLS} calls at most; measuring stops at the first that allocates nothing. */
  static final int ROUNDS = 60;
  static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static Model classifier;
  static Model regressor;
  static Model standardized;
  static float[] dense;
  static float[] sparse;

  @BeforeAll
  static void setUp() {
    Architecture arch = Architecture.builder(64).hidden(48, Activation.RELU).hidden(20, Activation.TANH)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    classifier = Model.initialize(arch, 1).withScaling(InputScaling.divideBy(16));
    regressor = Model.initialize(Architecture.builder(64).hidden(32, Activation.SIGMOID)
        .output(3, Head.SQUARED_ERROR), 2).withScaling(InputScaling.divideBy(16));
    float[] shift = new float[64];
    float[] scale = new float[64];
    for (int i = 0; i < 64; i++) {
      shift[i] = i * 0.1f;
      scale[i] = 1f / (1 + i);
    }
    standardized = Model.initialize(arch, 3).withScaling(InputScaling.perFeature(shift, scale));
    dense = new float[64];
    sparse = new float[64];
    for (int i = 0; i < 64; i++) {
      dense[i] = 1 + (i * 7) % 16;
      sparse[i] = i % 9 == 0 ? 1 + i % 16 : 0;
    }
    assertEquals(true, MX.isThreadAllocatedMemorySupported());
    MX.setThreadAllocatedMemoryEnabled(true);
  }

  /**
   * Asserts that once warm, a round of {@link #CALLS} calls allocates nothing, with whichever kernels
   * this JVM runs (the build runs this class with the scalar kernels and the vector kernels at 128, 256
   * and 512 bits). A vector that crosses a call C2 did not inline is boxed on the heap: this is the test
   * that catches it.
   */
  static void assertNoAllocation(String what, IntConsumer call) {
    long bytes = allocatedPerRound(call);
    assertEquals(0, bytes, what + " with the " + classifier.kernelsName() + " kernels: bytes allocated by "
        + CALLS + " calls (" + bytes / CALLS + " per call)");
  }

  /**
   * The fewest bytes one of {@link #ROUNDS} rounds of {@link #CALLS} calls allocated, after a warm-up (public:
   * simd's {@code WithoutAvx2Test} measures its probe JVM with it).
   */
  public static long allocatedPerRound(IntConsumer call) {
    for (int i = 0; i < 3 * CALLS; i++) {
      call.accept(i);
    }
    long least = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS && least > 0; round++) {
      long before = MX.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        call.accept(i);
      }
      least = Math.min(least, MX.getCurrentThreadAllocatedBytes() - before);
    }
    return least;
  }

  static int sink;

  @Test
  void singleRowsWithAWorkspace() {
    Workspace ws = classifier.newWorkspace();
    float[] out = new float[10];
    for (float[] x : List.of(dense, sparse)) {
      String what = x == dense ? "dense" : "sparse";
      assertNoAllocation("predict, " + what, i -> sink += classifier.predict(x, 0, ws));
      assertNoAllocation("predictProbabilities, " + what, i -> classifier.predictProbabilities(x, 0, out, 0, ws));
      assertNoAllocation("predictLogits, " + what, i -> classifier.predictLogits(x, 0, out, 0, ws));
    }
    Workspace checking = classifier.newWorkspace().checkFinite(true);
    assertNoAllocation("with the finite check", i -> sink += classifier.predict(dense, 0, checking));
    Workspace std = standardized.newWorkspace();
    assertNoAllocation("standardized inputs", i -> sink += standardized.predict(sparse, 0, std));
  }

  @Test
  void regressionOutputs() {
    Workspace ws = regressor.newWorkspace();
    float[] out = new float[3];
    for (float[] x : List.of(dense, sparse)) {
      String what = x == dense ? "dense" : "sparse";
      assertNoAllocation("regression outputs, " + what, i -> regressor.predictProbabilities(x, 0, out, 0, ws));
      assertNoAllocation("regression logits, " + what, i -> regressor.predictLogits(x, 0, out, 0, ws));
    }
  }

  @Test
  void batches() {
    int rows = 8;
    float[] x = new float[rows * 64];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(r % 2 == 0 ? dense : sparse, 0, x, r * 64, 64);
    }
    Workspace ws = classifier.newWorkspace();
    int[] classes = new int[rows];
    float[] out = new float[rows * 10];
    assertNoAllocation("predictBatch", i -> classifier.predictBatch(x, rows, classes, ws));
    assertNoAllocation("predictBatchProbabilities", i -> classifier.predictBatchProbabilities(x, rows, out, ws));
  }

  @Test
  void thePerThreadWorkspaceServesAStreamOfSnapshotsWithoutAllocating() {
    // Every 100 calls the next snapshot, never used before, as when a trainer keeps publishing while
    // this thread serves: the warm-up and the five rounds take 80,000 calls.
    List<Model> snapshots = new ArrayList<>();
    try (Trainer t = Trainer.builder(classifier.architecture()).seed(4).build()) {
      for (int s = 0; s < 2 * 8 * CALLS / 100 + 1; s++) {
        t.trainSample(s % 2 == 0 ? dense : sparse, s % 10);
        snapshots.add(t.snapshot());
      }
    }
    int[] next = {0};
    assertNoAllocation("predict, per-thread workspace",
        i -> sink += snapshots.get(next[0]++ / 100).predict(i % 2 == 0 ? dense : sparse));
    float[] out = new float[10];
    assertNoAllocation("predictProbabilities, per-thread workspace",
        i -> snapshots.get(next[0]++ / 100).predictProbabilities(dense, out));
  }

  @Test
  void thePerThreadWorkspacesServeFourArchitecturesInTurnWithoutAllocating() {
    // the workspace found moves to the front, so the four last used stay: a thread cycling through
    // four architectures finds each one's workspace every time
    Model[] models = {classifier, Model.initialize(Architecture.builder(64).hidden(8, Activation.RELU)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY), 5), Model.initialize(Architecture.builder(64)
        .hidden(16, Activation.RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY), 6),
        Model.initialize(Architecture.builder(64).hidden(24, Activation.RELU)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY), 7)};
    assertNoAllocation("predict, four architectures in turn", i -> sink += models[i % 4].predict(dense));
  }

  @Test
  void onlineTrainingStepsAllocateNothing() {
    // a service that learns online calls trainSample per request: the step reuses its pass and result
    float[] target = {0.5f, -1f, 2f};
    // 256 hidden units are four chunks, so two threads do run (48 and 32 units allow one)
    Architecture wide = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(wide).threads(2).learningRate(1e-4f).scaling(InputScaling.divideBy(16)).build()) {
      assertNoAllocation("trainSample, two threads", i -> t.trainSample((i & 1) == 0 ? dense : sparse, i % 10));
      assertEquals("2", t.snapshot().metadata().get("threads"), "two threads ran");
    }
    try (Trainer t = Trainer.builder(classifier.architecture()).threads(1).learningRate(1e-4f)
        .scaling(InputScaling.divideBy(16)).build();
        Trainer r = Trainer.builder(regressor.architecture()).threads(1).learningRate(1e-4f)
            .scaling(InputScaling.divideBy(16)).build()) {
      assertNoAllocation("trainSample, one thread", i -> t.trainSample((i & 1) == 0 ? dense : sparse, i % 10));
      assertNoAllocation("trainSample with targets", i -> r.trainSample(dense, target));
    }
  }
}

