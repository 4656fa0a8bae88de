package dev.vmlp;

import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-sample SGD with each layer's hidden units split over threads (model parallelism). Thread
 * {@code t} owns a fixed range of whole chunks of every hidden layer's units (see
 * {@link Layout#chunkLength}): their rows of the first layer's input-major weights and biases, their
 * columns of the next layer's weights, and their pre-activations, activations and gradients. So its
 * share of the weights stays in its own core's cache.
 *
 * <p>Per sample and layer {@code l >= 1}, each thread forms the chunk partial sums of
 * {@code W^l o^{l-1}} over its own inputs for every unit; after one {@link SpinBarrier} hand-off, each
 * thread adds, for its own units (or, at the output, for all of them), the partials in chunk order,
 * exactly as one thread would. The softmax head runs redundantly on every thread (the same bits
 * everywhere), each thread keeps its own identical copy of the output bias, and the transposed
 * product {@code Wᵀ s} needs no exchange because a thread owns whole columns. Hidden layers after the
 * first also exchange their slices of {@code s} once in the backward pass. Buffers that cross threads
 * are double-buffered by sample parity, so a thread running one barrier ahead never overwrites what a
 * slower one still reads.
 *
 * <p>784-H-10 therefore takes one barrier per sample. Workers are daemon threads named
 * {@code vmlp-trainer-E-worker-N}, E numbering the engines of the JVM so that two trainers' workers
 * are told apart in a thread dump; the calling thread works as thread 0.
 */
final class ParallelEngine implements Engine {
  private final Kernels k;
  private final Params p;
  private final float negLr;
  private final int threads;
  private final int last;
  private final SpinBarrier barrier;
  private final Worker[] workers;
  private final Thread[] pool;
  /** Per layer {@code l >= 1}: the thread that owns each input chunk. */
  private final int[][] chunkOwner;
  /** Per layer, parity and thread: chunk partial sums {@code [out * chunks]}. */
  private final float[][][][] partials;
  /** Per hidden layer {@code l >= 1}, parity and thread: the thread's slice of {@code s^l}. */
  private final float[][][][] sSlices;

  private volatile Pass job;
  private final Pass.Result reusable = new Pass.Result();
  private volatile boolean stopping;
  private volatile Throwable failure;
  /**
   * Guards the first {@link #failure}. Not the engine's monitor: {@link #close()} holds that while it
   * joins the workers, and a worker failing then would wait for it until close() gave up.
   */
  private final Object failureLock = new Object();
  /** Position at which every thread stops the running pass (set by thread 0 on interrupt). */
  private volatile int stopAt;
  private volatile boolean stopRequested;
  private volatile boolean closed;
  /** {@link Engine#checkEvery} less 1: thread 0 checks after the samples whose position has these bits set. */
  private final int checkMask;

  /** Most threads the architecture can use: the fewest chunks of any hidden layer. */
  static int maxThreads(Architecture arch) {
    int max = Integer.MAX_VALUE;
    for (int l = 0; l < arch.layerCount() - 1; l++) {
      max = Math.min(max, Layout.chunkCount(Layout.pad(arch.layerUnits(l))));
    }
    return arch.layerCount() > 1 ? max : 1;
  }

  ParallelEngine(Kernels k, Params p, float learningRate, int threads) {
    this(k, p, learningRate, threads, Runtime.getRuntime().availableProcessors());
  }

  /**
   * An engine whose hand-offs assume {@code processors} processors (the trainer passes the machine's,
   * or what a test set through {@link Trainer.Builder}).
   */
  ParallelEngine(Kernels k, Params p, float learningRate, int threads, int processors) {
    this(k, p, learningRate, threads, processors, Engine.checkEvery(p.arch));
  }

  /** As above, checking for a stop every {@code checkEvery} samples (a power of two). */
  ParallelEngine(Kernels k, Params p, float learningRate, int threads, int processors, int checkEvery) {
    if (threads < 2 || threads > maxThreads(p.arch)) {
      throw new IllegalArgumentException(threads + " threads for " + p.arch + " (at most " + maxThreads(p.arch) + ")");
    }
    this.k = k;
    this.p = p;
    this.negLr = -learningRate;
    this.threads = threads;
    this.last = p.layers.length - 1;
    this.checkMask = checkEvery - 1;
    this.barrier = new SpinBarrier(threads, processors, SpinBarrier.PARK_NANOS);
    int layers = p.layers.length;
    chunkOwner = new int[layers][];
    partials = new float[layers][][][];
    sSlices = new float[layers][][][];
    for (int l = 1; l < layers; l++) {
      Layer layer = p.layers[l];
      int chunks = Layout.chunkCount(layer.inPad);
      chunkOwner[l] = new int[chunks];
      for (int t = 0; t < threads; t++) {
        for (int c = firstChunk(chunks, t); c < firstChunk(chunks, t + 1); c++) {
          chunkOwner[l][c] = t;
        }
      }
      partials[l] = new float[2][threads][layer.out * chunks + PAD_FLOATS];
      if (l < last) {
        sSlices[l] = new float[2][threads][layer.outPad + PAD_FLOATS];
      }
    }
    workers = new Worker[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Worker(t);
    }
    pool = new Thread[threads - 1];
    long engine = ENGINES.incrementAndGet();
    for (int t = 1; t < threads; t++) {
      Worker w = workers[t];
      // no inheritable thread-locals: a value of the caller's that reaches the trainer would keep it
      // reachable from its own workers, for as long as they run
      Thread th = Thread.ofPlatform().name("vmlp-trainer-" + engine + "-worker-" + t).daemon(true)
          .inheritInheritableThreadLocals(false).unstarted(w::loop);
      pool[t - 1] = th;
      barrier.register(t, th);
    }
    try {
      for (Thread th : pool) {
        th.start();
      }
    } catch (Throwable e) { // e.g. OutOfMemoryError: unable to create native thread
      stopping = true;
      barrier.breakBarrier(); // the workers started wait for their first pass: they leave
      throw e;
    }
  }

  /** First chunk of thread {@code t} when {@code chunks} chunks are dealt to the threads in order. */
  private int firstChunk(int chunks, int t) {
    return (int) ((long) chunks * t / threads);
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public Pass.Result run(Pass pass) {
    if (closed || failure != null) {
      throw new IllegalStateException("the trainer's worker threads are stopped", failure);
    }
    barrier.register(0, Thread.currentThread());
    Pass.Result res = reusable.reset();
    stopAt = Integer.MAX_VALUE;
    job = pass;
    try {
      barrier.await(); // start: the workers pick up the job
      workers[0].runPass(pass, res);
      barrier.await(); // end: every thread has flushed its slice
    } catch (SpinBarrier.Broken e) {
      throw new IllegalStateException("a training worker failed: " + failure, failure);
    } catch (Throwable e) { // a listener may throw checked exceptions too (sneakily, or from Kotlin)
      fail(e);
      throw e;
    } finally {
      // the workers outlive the pass: through its listener and data, the job would keep the trainer
      // reachable (so its cleaner would never run) and the training set alive; so would the caller's
      // Thread, through its task (kept after the thread ends), were it left registered
      job = null;
      barrier.register(0, null);
    }
    return res;
  }

  private void fail(Throwable e) {
    synchronized (failureLock) {
      if (failure == null) {
        failure = e;
      }
    }
    barrier.breakBarrier();
  }

  @Override
  public void requestStop() {
    stopRequested = true;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    barrier.register(0, Thread.currentThread()); // the closing thread may not be the last pass's caller
    if (!barrier.isBroken()) {
      try {
        barrier.await(); // the workers see 'stopping' and return
      } catch (SpinBarrier.Broken e) {
        // a failed worker broke it; the others leave on their own
      }
    }
    // not interruptible: a caller whose training was interrupted still has its flag set here, and
    // close() promises that no worker is alive when it returns
    boolean interrupted = false;
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (Thread th : pool) {
      while (th.isAlive() && deadline - System.nanoTime() > 0) {
        try {
          th.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (Thread th : pool) {
      if (th.isAlive()) {
        barrier.breakBarrier();
        th.interrupt();
      }
    }
  }

  /** For tests: whether the barrier's waiters yield after every spin (more threads than processors). */
  boolean oversubscribed() {
    return barrier.oversubscribed();
  }

  /** For tests: the worker threads. */
  Thread[] workerThreads() {
    return pool.clone();
  }

  /** Unused floats at the end of arrays that threads write at the same time: two cache lines. */
  private static final int PAD_FLOATS = 32;
  private static final AtomicLong ENGINES = new AtomicLong(); // numbers the workers' names

  /** Two cache lines ahead of a worker's fields, which its thread writes every sample. */
  @SuppressWarnings("unused")
  private static class WorkerPadding {
    long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
  }

  /** One thread's state: its slices, private buffers and the deferred first-layer update. */
  private final class Worker extends WorkerPadding {
    final int t;
    final Buffers buf;
    /** Per hidden layer: this thread's range of units, in floats (chunk-aligned, within outPad). */
    final int[] from;
    final int[] to;
    /** Per layer {@code l >= 1}: this thread's chunks of the layer's input. */
    final int[] c0;
    final int[] c1;
    /** The output layer's bias: every thread keeps an identical copy. */
    final float[] outBias;
    /** Per hidden layer {@code l >= 1}: all of {@code s^l} and {@code -η s^l}, gathered. */
    final float[][] sAll;
    final float[][] gAll;
    /**
     * Per hidden layer: every thread's range of units, {@code [from, to)} at {@code 2u} and
     * {@code 2u + 1}. This thread's own copy, so that the per-sample gather reads no other worker's
     * fields (which share cache lines with what that worker writes every sample).
     */
    final int[][] ranges;
    long samples;
    boolean pending;
    final PreviousInput prev;

    Worker(int t) {
      this.t = t;
      this.buf = new Buffers(p.arch, true);
      int layers = p.layers.length;
      from = new int[layers];
      to = new int[layers];
      c0 = new int[layers];
      c1 = new int[layers];
      ranges = new int[layers][];
      for (int l = 0; l < last; l++) {
        Layer next = p.layers[l + 1];
        int chunks = Layout.chunkCount(next.inPad);
        int len = Layout.chunkLength(next.inPad);
        c0[l + 1] = firstChunk(chunks, t);
        c1[l + 1] = firstChunk(chunks, t + 1);
        ranges[l] = new int[2 * threads];
        for (int u = 0; u < threads; u++) {
          ranges[l][2 * u] = firstChunk(chunks, u) * len;
          ranges[l][2 * u + 1] = Math.min(firstChunk(chunks, u + 1) * len, next.inPad);
        }
        from[l] = ranges[l][2 * t];
        to[l] = ranges[l][2 * t + 1];
      }
      outBias = new float[p.layers[last].outPad + PAD_FLOATS];
      sAll = new float[layers][];
      gAll = new float[layers][];
      for (int l = 1; l < last; l++) {
        sAll[l] = new float[p.layers[l].outPad];
        gAll[l] = new float[p.layers[l].outPad];
      }
      prev = new PreviousInput(buf);
    }

    void loop() {
      try {
        while (true) {
          barrier.awaitAsWorker(); // wait for a pass, or for close()
          if (stopping) {
            return;
          }
          runPass(job, null);
          barrier.awaitAsWorker();
        }
      } catch (SpinBarrier.Broken e) {
        // another thread failed, or the trainer closes after a failure
      } catch (Throwable e) {
        fail(e);
      }
    }

    /** Runs the pass on this thread's slices; thread 0 also fills {@code res}. */
    void runPass(Pass pass, Pass.Result res) {
      Layer out = p.layers[last];
      System.arraycopy(out.b, 0, outBias, 0, out.outPad);
      boolean classifies = p.arch.head().classifies();
      int outputs = p.arch.outputs();
      SparseRows rows = pass.rows();
      int d = pass.d();
      for (int pos = 0; pos < pass.count(); pos++) {
        if (pos == stopAt) {
          break;
        }
        int r = pass.order()[pos];
        int label = classifies ? pass.labels()[r] : -1;
        int par = (int) (samples++ & 1);
        int xOff = r * d;
        if (rows != null) {
          int s0 = rows.start()[r];
          int len = rows.start()[r + 1] - s0;
          // every thread needs the whole input; each writes its own copy rather than wait for one
          float[] x = Forward.scatter(buf, prev.x, rows.values(), rows.index(), s0, len);
          forwardFirst(x, 0, rows.index(), s0, len);
        } else {
          forwardFirst(pass.x(), xOff, null, 0, -1);
        }
        forwardRest(par);
        double loss = classifies
            ? k.softmax(buf.z[last], outputs, label, buf.p, buf.s[last])
            : SgdStep.squaredError(buf.z[last], pass.targets(), r * pass.tc(), buf.s[last], outputs);
        if (!Double.isFinite(loss)) {
          if (res != null) {
            res.divergedAt = pos;
            res.divergedLoss = loss;
          }
          break;
        }
        backward(par);
        if (res != null) {
          res.lossSum += loss;
          if (classifies && Forward.argmax(buf.z[last], outputs) == label) {
            res.correct++;
          }
          res.done = pos + 1;
          if ((pos & checkMask) == checkMask) {
            if (pass.listener() != null && pos + 1 < pass.count()) { // Trainer.fit reports the end itself
              pass.listener().progress(pass.epoch(), pos + 1, pass.count());
            }
            if (!res.interrupted && (Thread.currentThread().isInterrupted() || stopRequested)) {
              // the others are at most one sample ahead: all stop before pos + 2. Set once: with a
              // check after every sample (Engine.checkEvery), moving it on at pos + 1 could let a
              // worker that read pos + 2 stop a sample before thread 0
              res.interrupted = true;
              stopAt = pos + 2;
            }
          }
        }
      }
      flush();
      if (t == 0) {
        System.arraycopy(outBias, 0, out.b, 0, out.outPad);
      }
    }

    private void forwardFirst(float[] x, int xOff, int[] nz, int nzOff, int nzLen) {
      Layer first = p.layers[0];
      int a = from[0];
      int b = to[0];
      // one path for every sample, the first of a pass included (PreviousInput.clear)
      SgdStep.addBias(first.b, buf.g[0], a, Math.min(b, first.out));
      Forward.updateThenFirst(k, first, prev.x, prev.off, prev.nz, prev.nzOff, prev.lenBefore(nzLen), buf.g[0], x,
          xOff, nz, nzOff, nzLen, buf.z[0], a, b, buf.prevOnly);
      pending = false;
      k.activate(first.activation, buf.z[0], buf.o[0], a, Math.min(b, first.out));
      prev.set(x, xOff, nz, nzOff, nzLen);
    }

    private void updateFirst() {
      Forward.updateFirst(k, p.layers[0], prev.x, prev.off, prev.nz, prev.nzOff, prev.nzLen, buf.g[0], from[0], to[0]);
    }

    private void forwardRest(int par) {
      for (int l = 1; l <= last; l++) {
        Layer layer = p.layers[l];
        int chunks = Layout.chunkCount(layer.inPad);
        k.chunkDots(layer.w, layer.out, buf.o[l - 1], layer.inPad, c0[l], c1[l], partials[l][par][t]);
        barrier.await();
        float[][] mine = partials[l][par];
        int[] owner = chunkOwner[l];
        int r0 = l < last ? from[l] : 0;
        int r1 = l < last ? Math.min(to[l], layer.out) : layer.out;
        float[] bias = l < last ? layer.b : outBias;
        float[] z = buf.z[l];
        for (int r = r0; r < r1; r++) {
          int base = r * chunks;
          float acc = mine[owner[0]][base];
          for (int c = 1; c < chunks; c++) {
            acc = acc + mine[owner[c]][base + c];
          }
          z[r] = acc + bias[r];
        }
        if (l < last) {
          k.activate(layer.activation, z, buf.o[l], r0, r1);
        }
      }
    }

    private void backward(int par) {
      for (int l = last; l >= 1; l--) {
        Layer layer = p.layers[l];
        float[] s;
        float[] g;
        if (l == last) {
          s = buf.s[l];
          g = buf.g[l];
          SgdStep.scale(negLr, s, g, 0, layer.out);
        } else {
          s = sAll[l];
          g = gAll[l];
          float[][] slices = sSlices[l][par];
          for (int u = 0; u < threads; u++) {
            int a = ranges[l][2 * u];
            int b = Math.min(ranges[l][2 * u + 1], layer.out);
            if (a < b) {
              System.arraycopy(slices[u], a, s, a, b - a);
            }
          }
          SgdStep.scale(negLr, s, g, 0, layer.out);
        }
        float[] delta = buf.delta[l - 1];
        k.backwardUpdateOutputMajor(layer.w, layer.block, layer.out, s, g, buf.o[l - 1], delta, from[l - 1],
            to[l - 1]);
        if (l == last) {
          SgdStep.addBias(outBias, g, 0, layer.out);
        } else {
          SgdStep.addBias(layer.b, g, from[l], Math.min(to[l], layer.out));
        }
        Layer below = p.layers[l - 1];
        int a = from[l - 1];
        int b = Math.min(to[l - 1], below.out);
        k.activationGradient(below.activation, buf.z[l - 1], buf.o[l - 1], delta, buf.s[l - 1], a, b);
        if (l - 1 >= 1) {
          if (a < b) {
            System.arraycopy(buf.s[l - 1], a, sSlices[l - 1][par][t], a, b - a);
          }
          barrier.await();
        }
      }
      Layer first = p.layers[0];
      SgdStep.scale(negLr, buf.s[0], buf.g[0], from[0], Math.min(to[0], first.out));
      pending = true;
    }

    private void flush() {
      if (pending) {
        Layer first = p.layers[0];
        SgdStep.addBias(first.b, buf.g[0], from[0], Math.min(to[0], first.out));
        updateFirst();
        pending = false;
      }
      prev.clear(buf);
    }
  }

  @Override
  public String toString() {
    return "ParallelEngine[" + threads + " threads, " + p.arch + ", owners " + Arrays.deepToString(chunkOwner) + "]";
  }
}
