/**
 * Peer benchmarks: the per-sample kernels ({@link dev.vmlp.jmh.peers.PeerKernelBenchmark}) and one SGD
 * step ({@link dev.vmlp.jmh.peers.PeerTrainStepBenchmark}) written with EJML, with netlib's pure-Java
 * BLAS and with netlib's JNI BLAS (OpenBLAS), to be run in the same JMH run as vmlp's own benchmarks.
 *
 * <h2>Peers</h2>
 * <ul>
 *   <li>{@code ejml}: {@code org.ejml:ejml-fdense}, {@code FMatrixRMaj} (row-major) with
 *       {@code CommonOps_FDRM.multAdd} / {@code multTransA} and
 *       {@code VectorVectorMult_FDRM.addOuterProd}; scalar Java loops.
 *   <li>{@code netlibJava}: {@code dev.ludovic.netlib:blas}, {@code JavaBLAS.getInstance()}, which is
 *       {@code dev.ludovic.netlib.blas.VectorBLAS} (Vector API {@code sgemv}/{@code sger}/{@code saxpy})
 *       when {@code jdk.incubator.vector} is in the boot layer, and {@code Java11BLAS} otherwise. The
 *       benchmarks refuse the scalar fallback (their setup throws): the forks get the flag from
 *       {@code @Fork(jvmArgsAppend)}, but a {@code -jvmArgsAppend} on the JMH command line replaces it,
 *       so repeat {@code --add-modules=jdk.incubator.vector} there.
 *   <li>{@code netlibNative}: {@code NativeBLAS.getInstance()}, netlib's JNI shim, which
 *       {@code dlopen}s {@code libblas.so.3}. On Debian {@code apt-get install libopenblas0} (or
 *       {@code libopenblas-dev}) registers OpenBLAS as the {@code libblas.so.3} alternative (priority
 *       100 over the reference BLAS's 10), and nothing else is needed. Another library can be named with
 *       {@code -Ddev.ludovic.netlib.blas.nativeLibPath=/usr/lib/x86_64-linux-gnu/libopenblas.so.0} (a
 *       file) or {@code -Ddev.ludovic.netlib.blas.nativeLib=libopenblas.so.0} (a name for the loader).
 *       Where none loads, the {@code netlibNative} states' setup throws an
 *       {@link java.lang.IllegalStateException} saying so; JMH reports those benchmarks as failed and runs
 *       the rest ({@code -foe true} would stop instead). {@code java -cp vmlp-jmh-…-benchmarks.jar
 *       --add-modules=jdk.incubator.vector dev.vmlp.jmh.peers.Blas} prints what both peers resolve to.
 * </ul>
 * The netlib peers take a {@code layout} parameter ({@code rowMajor}, {@code colMajor}): BLAS is
 * column-major, and which dimension is contiguous decides whether {@code Wx} is the dot-form
 * {@code sgemv("T")} or the axpy-form {@code sgemv("N")}; see {@code NetlibMlp.Layout}.
 *
 * <h2>OpenBLAS threads and kernels</h2>
 * OpenBLAS splits a large {@code gemv}/{@code ger} over every core. For a per-core comparison launch JMH
 * with {@code OPENBLAS_NUM_THREADS=1} in the environment (the forks inherit it); the native setup prints
 * the setting, and {@code OPENBLAS_CORETYPE}, which forces OpenBLAS's kernel family (Debian's
 * DYNAMIC_ARCH build otherwise picks one from the CPU).
 *
 * <h2>Running</h2>
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java -jar jmh/target/vmlp-jmh-0.1.0-SNAPSHOT-benchmarks.jar 'Peer.*' \
 *     -rf json -rff peers.json
 * </pre>
 * Scores are ns per call. The kernels do {@code 2·IN·OUT} flops each: GFLOP/s = {@code 2·IN·OUT / ns}.
 * The step's samples/s = {@code 1e9 / ns}.
 */
package dev.vmlp.jmh.peers;
