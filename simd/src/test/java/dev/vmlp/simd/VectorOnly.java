package dev.vmlp.simd;

import dev.vmlp.internal.kernel.KernelProvider;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** Skips a jqwik container when the vector kernels cannot run in this JVM (the build's scalar run). */
public final class VectorOnly implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    return KernelProvider.vector().isPresent()
        ? SkipResult.doNotSkip()
        : SkipResult.skip("the vector kernels cannot run in this JVM: " + KernelProvider.reason());
  }
}
