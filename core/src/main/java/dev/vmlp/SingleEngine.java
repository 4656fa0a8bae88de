package dev.vmlp;

import dev.vmlp.internal.kernel.Kernels;

/** Per-sample SGD on the calling thread. */
final class SingleEngine implements Engine {
  private final SgdStep step;
  private final int outputs;
  private final boolean classifies;
  private final Pass.Result reusable = new Pass.Result();
  private volatile boolean stopRequested;
  /** {@link Engine#checkEvery} less 1: a pass checks after the samples whose position has these bits set. */
  private final int checkMask;

  SingleEngine(Kernels k, Params p, float learningRate) {
    this(k, p, learningRate, Engine.checkEvery(p.arch));
  }

  /** Checking for a stop every {@code checkEvery} samples (a power of two). */
  SingleEngine(Kernels k, Params p, float learningRate, int checkEvery) {
    this.step = new SgdStep(k, p, learningRate);
    this.checkMask = checkEvery - 1;
    this.outputs = p.arch.outputs();
    this.classifies = p.arch.head().classifies();
  }

  @Override
  public Pass.Result run(Pass pass) {
    Pass.Result res = reusable.reset();
    float[] logits = step.buf.z[step.buf.z.length - 1];
    SparseRows rows = pass.rows();
    int d = pass.d();
    for (int pos = 0; pos < pass.count(); pos++) {
      int r = pass.order()[pos];
      int label = classifies ? pass.labels()[r] : -1;
      double loss = rows != null
          ? step.stepSparse(rows.values(), rows.index(), rows.start()[r], rows.start()[r + 1] - rows.start()[r],
              label, pass.targets(), r * pass.tc())
          : step.step(pass.x(), r * d, null, 0, -1, label, pass.targets(), r * pass.tc());
      if (!Double.isFinite(loss)) {
        res.divergedAt = pos;
        res.divergedLoss = loss;
        break;
      }
      res.lossSum += loss;
      if (classifies && Forward.argmax(logits, outputs) == label) {
        res.correct++;
      }
      res.done = pos + 1;
      if ((pos & checkMask) == checkMask) {
        if (pass.listener() != null && pos + 1 < pass.count()) { // Trainer.fit reports the end itself
          pass.listener().progress(pass.epoch(), pos + 1, pass.count());
        }
        if (Thread.currentThread().isInterrupted() || stopRequested) {
          res.interrupted = true;
          break;
        }
      }
    }
    step.flush();
    return res;
  }

  @Override
  public void requestStop() {
    stopRequested = true;
  }

  @Override
  public int threads() {
    return 1;
  }

  @Override
  public void close() {}
}
