/**
 * Internal, not an API: the kernel interface, the scalar reference kernels, the layout that fixes
 * every summation order, and the choice of kernels at run time. Public only so that the {@code simd}
 * module can implement {@link dev.vmlp.internal.kernel.Kernels}, and the command line and the
 * benchmarks can name or force a choice ({@link dev.vmlp.internal.kernel.KernelProvider}); anything
 * here may change in any release. Applications use {@link dev.vmlp.Trainer}, {@link dev.vmlp.Model} and
 * {@link dev.vmlp.io.ModelFiles}, which pick the kernels themselves.
 */
package dev.vmlp.internal.kernel;
