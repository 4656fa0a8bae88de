package dev.vmlp.jmh.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/** The two netlib BLAS peers, and a clear error where the native one cannot be loaded. */
public final class Blas {
  /** netlib's own switches for the library that its JNI shim {@code dlopen}s. */
  static final String NATIVE_LIB = "dev.ludovic.netlib.blas.nativeLib";
  static final String NATIVE_LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String VECTOR_BLAS = "dev.ludovic.netlib.blas.VectorBLAS";

  private Blas() {}

  /**
   * netlib's pure-Java BLAS: {@code VectorBLAS} (Vector API kernels for {@code sdot}, {@code saxpy},
   * {@code sgemv}, {@code sger}) when {@code jdk.incubator.vector} is in the boot layer, else
   * {@code Java11BLAS}.
   */
  static BLAS java() {
    return JavaBLAS.getInstance();
  }

  /**
   * {@link #java()}, required to be the Vector API {@code VectorBLAS}: the peer that vmlp's vector
   * kernels are compared with.
   *
   * @throws IllegalStateException where netlib fell back to a scalar Java BLAS, which happens when the
   *     JVM lacks {@code --add-modules=jdk.incubator.vector} (a JMH command-line {@code -jvmArgsAppend}
   *     replaces the benchmark's own, so it must repeat that flag)
   */
  static BLAS javaVector() {
    BLAS blas = java();
    if (!blas.getClass().getName().equals(VECTOR_BLAS)) {
      throw new IllegalStateException("netlib JavaBLAS.getInstance() is " + blas.getClass().getName()
          + ", not " + VECTOR_BLAS + ": run the JVM with --add-modules=jdk.incubator.vector (with JMH, a "
          + "-jvmArgsAppend given on the command line replaces the benchmark's, so repeat the flag there)");
    }
    return blas;
  }

  /**
   * netlib's JNI BLAS. Its shim {@code dlopen}s {@code libblas.so.3} (or the file named by
   * {@code -Ddev.ludovic.netlib.blas.nativeLibPath=...}, or the library by
   * {@code -Ddev.ludovic.netlib.blas.nativeLib=...}); on Debian {@code apt-get install libopenblas0}
   * makes {@code libblas.so.3} OpenBLAS through the alternatives system.
   *
   * @throws IllegalStateException with what to install or set, where it cannot be loaded
   */
  static BLAS nativeOrThrow() {
    try {
      return NativeBLAS.getInstance();
    } catch (Throwable t) {
      throw new IllegalStateException("netlib NativeBLAS is not available, so the netlibNative benchmarks "
          + "cannot run: install a system BLAS (Debian: apt-get install libopenblas0, which provides "
          + "libblas.so.3), or point -D" + NATIVE_LIB_PATH + "=/path/to/libopenblas.so.0 at one "
          + "(nativeLib=" + System.getProperty(NATIVE_LIB) + ", nativeLibPath="
          + System.getProperty(NATIVE_LIB_PATH) + "); cause: " + t, t);
    }
  }

  /** One line naming the implementation and, for native OpenBLAS, the thread setting. */
  static String describe(BLAS blas) {
    String name = blas.getClass().getName();
    if (blas instanceof NativeBLAS) {
      String lib = System.getProperty(NATIVE_LIB_PATH, System.getProperty(NATIVE_LIB, "libblas.so.3"));
      String threads = System.getenv("OPENBLAS_NUM_THREADS");
      return name + " -> " + lib + ", OPENBLAS_NUM_THREADS="
          + (threads == null ? "unset (OpenBLAS may use every core for large gemv/ger)" : threads)
          + ", OPENBLAS_CORETYPE=" + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset");
    }
    return name;
  }

  /** Prints which implementations {@link #java()} and {@link #nativeOrThrow()} give in this JVM. */
  public static void main(String[] args) {
    System.out.println("JavaBLAS.getInstance():   " + describe(java()));
    try {
      System.out.println("NativeBLAS.getInstance(): " + describe(nativeOrThrow()));
    } catch (IllegalStateException e) {
      System.out.println("NativeBLAS.getInstance(): unavailable: " + e.getMessage());
    }
  }
}
