package dev.vmlp.internal.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleFinder;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the kernels once per JVM, in the manner of Lucene's {@code VectorizationProvider}: the vector
 * kernels when {@code jdk.incubator.vector} is readable, this is the Java release they were built for,
 * C2 is on with its Vector API intrinsics and the JVM uses the CPU's FMA instructions (by HotSpot's own
 * flags, where {@code jdk.management} can tell), the vmlp-simd classes are
 * present and the preferred species has at least 128 bits; otherwise the scalar kernels, with one log line
 * saying why. The vector class is loaded reflectively, so the scalar path never links Vector API
 * classes.
 *
 * <p>System properties: {@code vmlp.kernels=auto|scalar|vector} ({@code vector} makes a missing
 * prerequisite an error instead of a fallback, and tries the kernels on a Java release other than the
 * one they were built for) and {@code vmlp.vectorBits=128|256|512} (read by the vector kernels to
 * force a width). An empty value means the default, as an absent one does ({@code auto}, the preferred
 * width); {@code vmlp.kernels} is read without regard to case or surrounding blanks. Any other value of
 * either is an error.
 */
public final class KernelProvider {
  static final String VECTOR_CLASS = "dev.vmlp.simd.VectorKernels";
  private static final System.Logger LOG = System.getLogger("dev.vmlp");

  private KernelProvider() {}

  /**
   * The kernels this JVM uses.
   *
   * @throws IllegalArgumentException on every call when {@code vmlp.kernels} or {@code vmlp.vectorBits}
   *     has a value that is not one of theirs, or {@code -Dvmlp.kernels=vector} asks for kernels that
   *     cannot run here
   */
  public static Kernels get() {
    if (Holder.FAILURE != null) {
      throw fresh(Holder.FAILURE);
    }
    return Holder.INSTANCE;
  }

  /** Why the current kernels were chosen, e.g. {@code "jdk.incubator.vector is not readable ..."}. */
  public static String reason() {
    if (Holder.FAILURE != null) {
      throw fresh(Holder.FAILURE);
    }
    return Holder.REASON;
  }

  /** The choice's failure again, as an exception of its own kind (not the class initialiser's Error). */
  private static RuntimeException fresh(RuntimeException failure) {
    return failure instanceof IllegalArgumentException
        ? new IllegalArgumentException(failure.getMessage(), failure)
        : new IllegalStateException(failure.getMessage(), failure);
  }

  /** The scalar reference kernels. */
  public static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The vector kernels, when they can run in this JVM; empty with no log line otherwise (for tests and
   * benchmarks that compare both). {@code -Dvmlp.kernels=vector} tries them on another Java release, as it
   * does for {@link #get()}; it is no error here.
   */
  public static Optional<Kernels> vector() {
    Choice c = lookupVector(Runtime.version().feature());
    return Optional.ofNullable(c.kernels);
  }

  /**
   * Why {@link #vector()} is empty in this JVM (e.g. {@code "jdk.incubator.vector is not readable ..."}), or
   * what its kernels run on when it is not. Unlike {@link #reason()}, which explains the choice that
   * {@code vmlp.kernels} made ({@code "forced by -Dvmlp.kernels=scalar"}), this is about the vector kernels alone.
   */
  public static String vectorReason() {
    return lookupVector(Runtime.version().feature()).reason;
  }

  private static final class Holder {
    static final Kernels INSTANCE;
    static final String REASON;
    /** A setting that cannot be met, kept so that every call says so (an initialiser that threw would not). */
    static final RuntimeException FAILURE;

    static {
      Choice c = null;
      RuntimeException failure = null;
      try {
        c = choose(Runtime.version().feature());
      } catch (IllegalArgumentException | IllegalStateException e) {
        failure = e;
      }
      INSTANCE = c != null ? c.kernels : null;
      REASON = c != null ? c.reason : null;
      FAILURE = failure;
    }
  }

  record Choice(Kernels kernels, String reason) {}

  /** The choice {@link #get()} makes on Java {@code release}: kernels and reason, or the setting's error. */
  static Choice choose(int release) {
    String badBits = badVectorBits();
    if (badBits != null) {
      // an error whatever the mode, as for -Dvmlp.kernels: a typo must not silently pick other kernels
      throw new IllegalArgumentException(badBits);
    }
    String given = System.getProperty("vmlp.kernels", "auto");
    String mode = mode(given);
    switch (mode) {
      case "scalar" -> {
        String why = "forced by -Dvmlp.kernels=scalar";
        LOG.log(System.Logger.Level.INFO, "vmlp kernels: scalar ({0})", why);
        return new Choice(ScalarKernels.INSTANCE, why);
      }
      case "auto", "vector", "" -> {
        boolean forced = mode.equals("vector");
        Choice c = lookupVector(release, forced);
        if (c.kernels != null) {
          LOG.log(System.Logger.Level.INFO, "vmlp kernels: {0} ({1})", c.kernels.name(), c.reason);
          return c;
        }
        if (forced) {
          // a setting that cannot hold here, as a typo in it is: the user's to change
          throw new IllegalArgumentException("-Dvmlp.kernels=" + given + ", but the vector kernels cannot run: "
              + c.reason);
        }
        LOG.log(System.Logger.Level.WARNING, "vmlp kernels: scalar fallback, {0}", c.reason);
        return new Choice(ScalarKernels.INSTANCE, c.reason);
      }
      default -> throw new IllegalArgumentException(
          "-Dvmlp.kernels=" + given + " is not one of auto, scalar, vector");
    }
  }

  /** {@code vmlp.kernels} as the choice reads it: without regard to case or surrounding blanks. */
  private static String mode(String given) {
    return given.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * What {@link #vector()} and {@link #vectorReason()} give on Java {@code release}: as for the choice,
   * {@code -Dvmlp.kernels=vector} tries the kernels on a release other than the one they were built for.
   */
  static Choice lookupVector(int release) {
    return lookupVector(release, mode(System.getProperty("vmlp.kernels", "auto")).equals("vector"));
  }

  /**
   * The vector kernels, or why they cannot run. {@code forced} ({@code -Dvmlp.kernels=vector}) tries
   * them on a Java release other than the one they were built for.
   */
  private static Choice lookupVector(int release, boolean forced) {
    String badBits = badVectorBits();
    if (badBits != null) {
      return new Choice(null, badBits);
    }
    if (KernelProvider.class.getClassLoader().getResource(VECTOR_CLASS.replace('.', '/') + ".class") == null) {
      return new Choice(null, "vmlp-simd is not on the class path"); // first: no command-line flag can help then
    }
    Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vectorModule.isEmpty() && ModuleFinder.ofSystem().find("jdk.incubator.vector").isEmpty()) {
      // a jlinked image without it: --add-modules would stop the JVM at start-up ("Module ... not found")
      return new Choice(null, "this Java runtime has no jdk.incubator.vector module; use a full JDK or add it to "
          + "the image (jlink --add-modules jdk.incubator.vector)");
    }
    if (vectorModule.isEmpty() || !KernelProvider.class.getModule().canRead(vectorModule.get())) {
      return new Choice(null, "jdk.incubator.vector is not readable; run with --add-modules jdk.incubator.vector");
    }
    String otherRelease = otherRelease(release, forced);
    if (otherRelease != null) {
      return new Choice(null, otherRelease);
    }
    String noC2 = c2Missing();
    if (noC2 != null) {
      return new Choice(null, noC2);
    }
    String noFma = fmaMissing();
    if (noFma != null) {
      return new Choice(null, noFma);
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

  /** What is wrong with {@code -Dvmlp.vectorBits}, or null when it is absent or valid. */
  private static String badVectorBits() {
    String bits = System.getProperty("vmlp.vectorBits", "").trim();
    return bits.isEmpty() || bits.equals("128") || bits.equals("256") || bits.equals("512") ? null
        : "-Dvmlp.vectorBits=" + bits + " is not one of 128, 256, 512";
  }

  /** The Java release whose Vector API the vector kernels are compiled against. */
  static final int BUILT_FOR = 25;

  /**
   * Why the vector kernels do not run on Java {@code release}, or null when they do: an incubator API may
   * change in any release, so, as Lucene does, they run only on the one they were built for unless
   * {@code forced}.
   */
  static String otherRelease(int release, boolean forced) {
    return release == BUILT_FOR || forced ? null : "the vector kernels are built for the Vector API of Java " + BUILT_FOR
        + ", this is Java " + release + "; -Dvmlp.kernels=vector tries them anyway";
  }

  /** A reason why C2 is not available, or null when it is (or cannot be told). */
  static String c2Missing() {
    String info = System.getProperty("java.vm.info", "");
    if (info.contains("interpreted")) {
      return "the JVM runs interpreted only (-Xint); the Vector API needs the C2 compiler";
    }
    try {
      return HotSpotFlags.c2Missing();
    } catch (LinkageError | RuntimeException e) {
      return null; // no java.management or jdk.management (a jlinked runtime): assume the default, C2 on
    }
  }

  /**
   * A reason why the JVM has no hardware FMA, or null when it has (or cannot be told). Without it every
   * {@code fma} of both kernels runs in software, and the vector one is the slower of the two.
   */
  static String fmaMissing() {
    try {
      return HotSpotFlags.fmaMissing();
    } catch (LinkageError | RuntimeException e) {
      return null; // no java.management or jdk.management: assume FMA, the common case
    }
  }

  /**
   * HotSpot's flag {@code name} as this JVM reports it, or null where it cannot be read: no such flag in
   * this JVM (another architecture's, such as {@code UseSVE} on x86) or a runtime without
   * {@code jdk.management}. For the vector kernels' choices of loop that depend on the CPU's features.
   */
  public static String hotSpotFlag(String name) {
    try {
      return HotSpotFlags.value(name);
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** The JIT's and the CPU features' flags as HotSpot reports them, not as the command line spelled them. */
  private static final class HotSpotFlags {
    static String value(String name) {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm == null ? null : flag(vm, name, null);
    }

    static String fmaMissing() {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (vm == null || flag(vm, "UseFMA", "true").equals("true")) {
        return null;
      }
      return "the JVM uses no FMA instructions (a CPU without FMA, or -XX:-UseFMA, -XX:UseAVX=0 or "
          + "-XX:UseSSE below 4), so every fma runs in software, the vector kernels' slower than the scalar "
          + "ones' and both tens of times slower than with FMA; run on a CPU (or virtual CPU) with FMA";
    }

    static String c2Missing() {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (vm == null) {
        return null;
      }
      String stop = flag(vm, "TieredStopAtLevel", "4");
      if (!flag(vm, "UseCompiler", "true").equals("true")) {
        // HotSpot turns UseCompiler off for -XX:TieredStopAtLevel=0 too: name the flag the user gave
        return stop.equals("0") ? "C2 is off (-XX:TieredStopAtLevel=0); the Vector API needs the C2 compiler"
            : "the JIT is off (-XX:-UseCompiler or -Xint); the Vector API needs the C2 compiler";
      }
      if (flag(vm, "UseJVMCICompiler", "false").equals("true")) {
        return "the top compiler is a JVMCI one (-XX:+UseJVMCICompiler); the Vector API needs C2";
      }
      if (flag(vm, "CompilationMode", "default").equals("quick-only")) {
        return "C2 is off (-XX:CompilationMode=quick-only); the Vector API needs the C2 compiler";
      }
      if (flag(vm, "TieredCompilation", "true").equals("true") && !stop.equals("4")) {
        return "C2 is off (-XX:TieredStopAtLevel=" + stop + "); the Vector API needs the C2 compiler";
      }
      // HotSpot turns it on when jdk.incubator.vector is resolved; it reads false here only when turned off
      // (an experimental flag, unknown to getVMOption unless unlocked: then it is on)
      if (flag(vm, "EnableVectorSupport", "true").equals("false")) {
        return "C2's Vector API intrinsics are off (-XX:-EnableVectorSupport), so every vector operation runs "
            + "as plain Java, the vector kernels about ten times slower than the scalar ones";
      }
      return null; // tiered up to level 4, or C2 alone (-XX:-TieredCompilation)
    }

    private static String flag(HotSpotDiagnosticMXBean vm, String name, String absent) {
      try {
        return vm.getVMOption(name).getValue();
      } catch (IllegalArgumentException e) {
        return absent; // not a flag of this JVM build
      }
    }
  }
}
