package dev.vmlp;

/**
 * Scratch memory for predictions with one {@link Model} architecture, so that a prediction allocates
 * nothing. Not thread-safe: use one per thread (the {@code Model} methods without a workspace argument
 * keep one per thread for you). Any model of the same {@link Architecture} can use it.
 */
public final class Workspace {
  final Architecture arch;
  final Buffers buf;
  private boolean checkFinite;

  Workspace(Architecture arch) {
    this.arch = arch;
    this.buf = new Buffers(arch, false);
  }

  /**
   * Whether predictions through this workspace first check that every input is finite, throwing an
   * {@link IllegalArgumentException} that names the index and the value. Off by default: the check
   * costs a pass over the input.
   *
   * @return this
   */
  public Workspace checkFinite(boolean on) {
    this.checkFinite = on;
    return this;
  }

  boolean checksFinite() {
    return checkFinite;
  }
}
