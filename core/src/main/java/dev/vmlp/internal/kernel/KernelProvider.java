package dev.vmlp.internal.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the kernels once per JVM, in the manner of Lucene's {@code VectorizationProvider}: the vector
 * kernels when {@code jdk.incubator.vector} is readable, C2 is on, the vmlp-simd classes are present
 * and the preferred species has at least 128 bits; otherwise the scalar kernels, with one log line
 * saying why. The vector class is loaded reflectively, so the scalar path never links Vector API
 * classes.
 *
 * <p>System properties: {@code vmlp.kernels=auto|scalar|vector} ({@code vector} makes a missing
 * prerequisite an error instead of a fallback) and {@code vmlp.vectorBits=128|256|512} (read by the
 * vector kernels to force a width).
 */
public final class KernelProvider {
  static final String VECTOR_CLASS = "dev.vmlp.simd.VectorKernels";
  private static final System.Logger LOG = System.getLogger("dev.vmlp");

  private KernelProvider() {}

  /** The kernels this JVM uses. */
  public static Kernels get() {
    return Holder.INSTANCE;
  }

  /** Why the current kernels were chosen, e.g. {@code "jdk.incubator.vector is not readable ..."}. */
  public static String reason() {
    return Holder.REASON;
  }

  /** The scalar reference kernels. */
  public static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The vector kernels, when they can run in this JVM; empty with no log line otherwise (for tests and
   * benchmarks that compare both).
   */
  public static Optional<Kernels> vector() {
    Choice c = lookupVector();
    return Optional.ofNullable(c.kernels);
  }

  private static final class Holder {
    static final Kernels INSTANCE;
    static final String REASON;

    static {
      Choice c = choose();
      INSTANCE = c.kernels;
      REASON = c.reason;
    }
  }

  private record Choice(Kernels kernels, String reason) {}

  private static Choice choose() {
    String mode = System.getProperty("vmlp.kernels", "auto").trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "scalar" -> {
        String why = "forced by -Dvmlp.kernels=scalar";
        LOG.log(System.Logger.Level.INFO, "vmlp kernels: scalar ({0})", why);
        return new Choice(ScalarKernels.INSTANCE, why);
      }
      case "auto", "vector", "" -> {
        Choice c = lookupVector();
        if (c.kernels != null) {
          LOG.log(System.Logger.Level.INFO, "vmlp kernels: {0} ({1})", c.kernels.name(), c.reason);
          return c;
        }
        if (mode.equals("vector")) {
          throw new IllegalStateException("-Dvmlp.kernels=vector, but the vector kernels cannot run: " + c.reason);
        }
        LOG.log(System.Logger.Level.WARNING, "vmlp kernels: scalar fallback, {0}", c.reason);
        return new Choice(ScalarKernels.INSTANCE, c.reason);
      }
      default -> throw new IllegalArgumentException(
          "-Dvmlp.kernels=" + mode + " is not one of auto, scalar, vector");
    }
  }

  private static Choice lookupVector() {
    Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vectorModule.isEmpty() || !KernelProvider.class.getModule().canRead(vectorModule.get())) {
      return new Choice(null, "jdk.incubator.vector is not readable; run with --add-modules jdk.incubator.vector");
    }
    String noC2 = c2Missing();
    if (noC2 != null) {
      return new Choice(null, noC2);
    }
    Class<?> cls;
    try {
      cls = Class.forName(VECTOR_CLASS, true, KernelProvider.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return new Choice(null, "vmlp-simd is not on the class path");
    } catch (LinkageError e) {
      return new Choice(null, "the vector kernels failed to load: " + e);
    }
    try {
      Object k = MethodHandles.publicLookup()
          .findConstructor(cls, MethodType.methodType(void.class))
          .invoke();
      Kernels kernels = (Kernels) k;
      return new Choice(kernels, "jdk.incubator.vector, " + kernels.vectorBits() + "-bit FloatVector");
    } catch (UnsupportedOperationException e) {
      return new Choice(null, e.getMessage());
    } catch (Throwable e) {
      if (e instanceof Error err && !(e instanceof LinkageError)) {
        throw err;
      }
      return new Choice(null, "the vector kernels failed to start: " + e);
    }
  }

  /** A reason why C2 is not available, or null when it is. */
  private static String c2Missing() {
    String info = System.getProperty("java.vm.info", "");
    if (info.contains("interpreted")) {
      return "the JVM runs interpreted only (-Xint); the Vector API needs the C2 compiler";
    }
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
        return "C2 is off (" + arg + "); the Vector API needs the C2 compiler";
      }
      if (arg.equals("-XX:-UseCompiler") || arg.equals("-Xint")) {
        return "the JIT is off (" + arg + "); the Vector API needs the C2 compiler";
      }
    }
    return null;
  }
}
