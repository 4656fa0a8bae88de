package dev.vmlp.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmlp.internal.kernel.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's choice in fresh JVMs with the flags that decide it: the vector kernels when C2 runs
 * (whatever the command line spells), the scalar ones with the reason when it does not, and an error
 * for a forced setting that cannot be met or is misspelt; the one log line that says which and why.
 */
class KernelChoiceTest {
  /** Prints the choice and its reason, or the error that {@link KernelProvider#get()} throws. */
  public static final class Probe {
    public static void main(String[] args) {
      try {
        String name = KernelProvider.get().name();
        KernelProvider.get(); // the choice is logged once, however often it is asked for
        System.out.println(name + " | " + KernelProvider.reason());
      } catch (Throwable e) {
        // a second call must fail the same way, and neither as an Error (a service catches Exceptions): as the
        // IllegalArgumentException that get() documents, a setting of the user's to change
        String second;
        try {
          KernelProvider.get();
          second = "nothing";
        } catch (Throwable e2) {
          second = e2.getClass().getSimpleName();
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        boolean same = e instanceof IllegalArgumentException && second.equals(e.getClass().getSimpleName());
        System.out.println("error | " + cause.getMessage() + (same ? "" : " | " + e.getClass().getSimpleName()
            + " then " + second));
      }
    }
  }

  /** Prints what {@link KernelProvider#vector()} gives ("none" when empty) and {@link KernelProvider#vectorReason()}. */
  public static final class VectorProbe {
    public static void main(String[] args) {
      System.out.println(KernelProvider.vector().map(k -> k.name()).orElse("none") + " | "
          + KernelProvider.vectorReason());
    }
  }

  @BeforeAll
  static void onceInTheBuild() {
    // it starts JVMs of its own; the build's other runs (scalar, narrower widths) add nothing
    assumeTrue("vector".equals(System.getProperty("vmlp.kernels")) && System.getProperty("vmlp.vectorBits") == null,
        "runs in the build's main vector run only");
  }

  private static String choice(String... jvmArgs) throws IOException, InterruptedException {
    return choiceOn(System.getProperty("java.class.path"), jvmArgs);
  }

  private static String choiceOn(String classPath, String... jvmArgs) throws IOException, InterruptedException {
    return probe(classPath, jvmArgs)[0];
  }

  /** The probe's standard output, and the lines of its log records that name the kernels ("LEVEL message"). */
  private static String[] probe(String classPath, String... jvmArgs) throws IOException, InterruptedException {
    return probeOn(Path.of(System.getProperty("java.home")), classPath, jvmArgs);
  }

  /** {@link #probe} in the Java runtime at {@code javaHome}. */
  private static String[] probeOn(Path javaHome, String classPath, String... jvmArgs)
      throws IOException, InterruptedException {
    return run(javaHome, classPath, Probe.class, jvmArgs);
  }

  /** {@link VectorProbe}'s line. */
  private static String vectorChoice(String... jvmArgs) throws IOException, InterruptedException {
    String[] said = run(Path.of(System.getProperty("java.home")), System.getProperty("java.class.path"),
        VectorProbe.class, jvmArgs);
    assertEquals("", said[1], "no log line");
    return said[0];
  }

  /** {@code ReleaseProbe}'s two lines, the choice and {@link KernelProvider#vector()}, as on Java {@code release}. */
  private static String releaseChoice(int release, String... jvmArgs) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(jvmArgs));
    args.add("-Dprobe.release=" + release);
    String[] said = run(Path.of(System.getProperty("java.home")), System.getProperty("java.class.path"),
        dev.vmlp.internal.kernel.ReleaseProbe.class, args.toArray(String[]::new));
    return said[0];
  }

  /** The standard output of {@code main} and its log lines that name the kernels, in the runtime at {@code javaHome}. */
  private static String[] run(Path javaHome, String classPath, Class<?> main, String... jvmArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin").resolve("java").toString());
    cmd.add("-Djava.util.logging.SimpleFormatter.format=%4$s %5$s%n");
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", classPath, main.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    // the JVM's own warnings (incubator modules) are left out
    String log = err.join().lines().filter(l -> l.contains("vmlp kernels:"))
        .collect(java.util.stream.Collectors.joining("\n"));
    return new String[] {out, log};
  }

  private static final String VECTOR = "--add-modules=jdk.incubator.vector";

  @Test
  void c2IsReadFromTheJvmsFlagsNotTheirSpelling() throws Exception {
    String vector = "vector-" + KernelProvider.vector().orElseThrow().vectorBits() + " |";
    assertTrue(choice(VECTOR).startsWith(vector), choice(VECTOR));
    // C2 alone: TieredStopAtLevel means nothing without tiers
    String c2Only = choice(VECTOR, "-XX:-TieredCompilation", "-XX:TieredStopAtLevel=1");
    assertTrue(c2Only.startsWith(vector), c2Only);
    String leadingZero = choice(VECTOR, "-XX:TieredStopAtLevel=04");
    assertTrue(leadingZero.startsWith(vector), leadingZero);
    String c1 = choice(VECTOR, "-XX:TieredStopAtLevel=1");
    assertTrue(c1.startsWith("scalar | C2 is off (-XX:TieredStopAtLevel=1)"), c1);
    String quick = choice(VECTOR, "-XX:CompilationMode=quick-only");
    assertTrue(quick.startsWith("scalar | C2 is off (-XX:CompilationMode=quick-only)"), quick);
    // level 0 makes HotSpot turn UseCompiler off: the reason names the flag that was given
    String none = choice(VECTOR, "-XX:TieredStopAtLevel=0");
    assertTrue(none.startsWith("scalar | C2 is off (-XX:TieredStopAtLevel=0)"), none);
    String interpreted = choice(VECTOR, "-Xint");
    assertTrue(interpreted.startsWith("scalar | the JVM runs interpreted only"), interpreted);
    // C2 without its Vector API intrinsics runs every vector operation as plain Java, boxed: the
    // digits network trained at 751 samples/s on the vector kernels, 8,671 on the scalar ones
    String noIntrinsics = choice(VECTOR, "-XX:+UnlockExperimentalVMOptions", "-XX:-EnableVectorSupport");
    assertTrue(noIntrinsics.startsWith("scalar | C2's Vector API intrinsics are off (-XX:-EnableVectorSupport)"),
        noIntrinsics);
    assertTrue(choice(VECTOR, "-XX:+UnlockExperimentalVMOptions").startsWith(vector), "unlocked, left on");
  }

  @Test
  void aMissingModuleFallsBackAndForcedSettingsAreChecked() throws Exception {
    String noModule = choice();
    assertTrue(noModule.startsWith("scalar | jdk.incubator.vector is not readable; run with --add-modules"), noModule);
    String forced = choice("-Dvmlp.kernels=vector");
    assertEquals("error | -Dvmlp.kernels=vector, but the vector kernels cannot run: jdk.incubator.vector is not "
        + "readable; run with --add-modules jdk.incubator.vector", forced);
    // without the simd classes, the reason says so first: no command-line flag would help
    String withoutSimd = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.replace('\\', '/').endsWith("simd/target/classes") && !e.contains("vmlp-simd"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    assertEquals("scalar | vmlp-simd is not on the class path", choiceOn(withoutSimd));
    assertEquals("scalar | vmlp-simd is not on the class path", choiceOn(withoutSimd, VECTOR));
    // vectors narrower than any kernel: the line names the flag that narrows them
    assertEquals("scalar | the preferred vector width is 64 bits (which -XX:MaxVectorSize may limit); at least 128 "
        + "are needed", choice(VECTOR, "-XX:MaxVectorSize=8"));
    String width = choice(VECTOR, "-Dvmlp.vectorBits=300");
    assertEquals("error | -Dvmlp.vectorBits=300 is not one of 128, 256, 512", width);
    assertEquals(width, choice(VECTOR, "-Dvmlp.kernels=scalar", "-Dvmlp.vectorBits=300"), "whatever the mode");
    assertEquals("error | -Dvmlp.vectorBits=64 is not one of 128, 256, 512", choice(VECTOR, "-Dvmlp.vectorBits=64"),
        "a width a species has but no kernel takes is a typo too, not a reason to fall back");
    String kernels = choice("-Dvmlp.kernels=fast");
    assertEquals("error | -Dvmlp.kernels=fast is not one of auto, scalar, vector", kernels);
    assertEquals("error | -Dvmlp.kernels=FAST is not one of auto, scalar, vector", choice("-Dvmlp.kernels=FAST"),
        "quoted as given");
    // an empty value is the default, as documented (a script's -Dvmlp.kernels=$KERNELS with nothing set)
    String empty = choice(VECTOR, "-Dvmlp.kernels=", "-Dvmlp.vectorBits=");
    assertTrue(empty.startsWith("vector-" + KernelProvider.vector().orElseThrow().vectorBits() + " |"), empty);
  }

  @Test
  void aForcedWidthBeyondTheJvmsVectorsFallsBackAndTheDefaultIsTheirs() throws Exception {
    // -XX:MaxVectorSize=32 leaves the JVM 256-bit vectors: 512 would be emulated, far slower than scalar
    assumeTrue(KernelProvider.vector().orElseThrow().vectorBits() >= 256, "needs 256-bit vectors");
    String cp = System.getProperty("java.class.path");
    String reason = "-Dvmlp.vectorBits=512 exceeds the 256-bit vectors of this JVM on this CPU (which -XX:UseAVX or "
        + "-XX:MaxVectorSize may limit)";
    String[] wider = probe(cp, VECTOR, "-XX:MaxVectorSize=32", "-Dvmlp.vectorBits=512");
    assertEquals("scalar | " + reason, wider[0]);
    assertEquals("WARNING vmlp kernels: scalar fallback, " + reason, wider[1]);
    assertEquals("error | -Dvmlp.kernels=vector, but the vector kernels cannot run: " + reason,
        choice(VECTOR, "-XX:MaxVectorSize=32", "-Dvmlp.vectorBits=512", "-Dvmlp.kernels=vector"));
    // the JVM's own width, by default or forced, and a narrower one run
    assertEquals("vector-256 | jdk.incubator.vector, 256-bit FloatVector", choice(VECTOR, "-XX:MaxVectorSize=32"));
    assertEquals("vector-256 | jdk.incubator.vector, 256-bit FloatVector",
        choice(VECTOR, "-XX:MaxVectorSize=32", "-Dvmlp.vectorBits=256"));
    assertEquals("vector-128 | jdk.incubator.vector, 128-bit FloatVector",
        choice(VECTOR, "-XX:MaxVectorSize=32", "-Dvmlp.vectorBits=128"));
  }

  @Test
  void settingsAreReadWithoutRegardToCaseOrSurroundingBlanks() throws Exception {
    assertEquals("scalar | forced by -Dvmlp.kernels=scalar", choice(VECTOR, "-Dvmlp.kernels= Scalar "));
    assertEquals("vector-128 | jdk.incubator.vector, 128-bit FloatVector",
        choice(VECTOR, "-Dvmlp.kernels=VECTOR", "-Dvmlp.vectorBits= 128 "));
    assertEquals("error | -Dvmlp.kernels=Vector, but the vector kernels cannot run: jdk.incubator.vector is not "
        + "readable; run with --add-modules jdk.incubator.vector", choice("-Dvmlp.kernels=Vector"), "quoted as given");
  }

  @Test
  void withoutHardwareFmaTheScalarKernelsRunAndTheLineSaysWhy() throws Exception {
    // every fma then runs in software, the vector kernels' slower than the scalar ones'
    String reason = "the JVM uses no FMA instructions (a CPU without FMA, or -XX:-UseFMA, -XX:UseAVX=0 or "
        + "-XX:UseSSE below 4), so every fma runs in software, the vector kernels' slower than the scalar ones' and "
        + "both tens of times slower than with FMA; run on a CPU (or virtual CPU) with FMA";
    String[] noFma = probe(System.getProperty("java.class.path"), VECTOR, "-XX:-UseFMA");
    assertEquals("scalar | " + reason, noFma[0]);
    assertEquals("WARNING vmlp kernels: scalar fallback, " + reason, noFma[1]);
    assertEquals("error | -Dvmlp.kernels=vector, but the vector kernels cannot run: " + reason,
        choice(VECTOR, "-XX:-UseFMA", "-Dvmlp.kernels=vector"));
  }

  @Test
  void aRuntimeWithoutTheModuleIsNotToldToAddIt(@TempDir Path dir) throws Exception {
    // a jlinked image without jdk.incubator.vector: --add-modules would stop its JVM at start-up
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    assumeTrue(Files.isExecutable(jlink) || Files.isExecutable(Path.of(jlink + ".exe")), "needs a JDK's jlink");
    Path image = dir.resolve("runtime");
    Process p = new ProcessBuilder(jlink.toString(), "--add-modules", "java.base,java.logging", "--strip-debug",
        "--no-man-pages", "--no-header-files", "--output", image.toString()).redirectErrorStream(true).start();
    String jlinkOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jlink did not finish");
    assertEquals(0, p.exitValue(), jlinkOut);
    String reason = "this Java runtime has no jdk.incubator.vector module; use a full JDK or add it to the image "
        + "(jlink --add-modules jdk.incubator.vector)";
    String[] auto = probeOn(image, System.getProperty("java.class.path"));
    assertEquals("scalar | " + reason, auto[0]);
    assertEquals("WARNING vmlp kernels: scalar fallback, " + reason, auto[1]);
    assertEquals("error | -Dvmlp.kernels=vector, but the vector kernels cannot run: " + reason,
        probeOn(image, System.getProperty("java.class.path"), "-Dvmlp.kernels=vector")[0]);
  }

  @Test
  void aRuntimeWithoutJdkManagementAssumesC2AndFma(@TempDir Path dir) throws Exception {
    // a jlinked image with the Vector API but without the flags' MXBean: the defaults, C2 on and FMA, are assumed
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    assumeTrue(Files.isExecutable(jlink) || Files.isExecutable(Path.of(jlink + ".exe")), "needs a JDK's jlink");
    Path image = dir.resolve("runtime");
    Process p = new ProcessBuilder(jlink.toString(), "--add-modules", "java.base,java.logging,jdk.incubator.vector",
        "--strip-debug", "--no-man-pages", "--no-header-files", "--output", image.toString())
        .redirectErrorStream(true).start();
    String jlinkOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jlink did not finish");
    assertEquals(0, p.exitValue(), jlinkOut);
    int bits = KernelProvider.vector().orElseThrow().vectorBits();
    String[] vector = probeOn(image, System.getProperty("java.class.path"), VECTOR);
    assertEquals("vector-" + bits + " | jdk.incubator.vector, " + bits + "-bit FloatVector", vector[0]);
    assertEquals("INFO vmlp kernels: vector-" + bits + " (jdk.incubator.vector, " + bits + "-bit FloatVector)",
        vector[1]);
  }

  @Test
  void theVectorKernelsAloneAreReportedWhateverTheMode() throws Exception {
    // KernelProvider.vector() and vectorReason(), for benchmarks that compare both kernels: no error, no log line
    int bits = KernelProvider.vector().orElseThrow().vectorBits();
    String vector = "vector-" + bits + " | jdk.incubator.vector, " + bits + "-bit FloatVector";
    assertEquals(vector, vectorChoice(VECTOR));
    assertEquals(vector, vectorChoice(VECTOR, "-Dvmlp.kernels=scalar"));
    assertEquals("vector-128 | jdk.incubator.vector, 128-bit FloatVector", vectorChoice(VECTOR, "-Dvmlp.vectorBits=128"));
    assertEquals("none | jdk.incubator.vector is not readable; run with --add-modules jdk.incubator.vector",
        vectorChoice("-Dvmlp.kernels=vector"));
    assertEquals("none | -Dvmlp.vectorBits=100 is not one of 128, 256, 512",
        vectorChoice(VECTOR, "-Dvmlp.vectorBits=100"));
    assertEquals("none | C2 is off (-XX:TieredStopAtLevel=1); the Vector API needs the C2 compiler",
        vectorChoice(VECTOR, "-XX:TieredStopAtLevel=1"));
  }

  @Test
  void onAnotherReleaseTheSettingTriesTheVectorKernelsForTheChoiceAndForVectorAlike() throws Exception {
    // the release is the provider's seam's argument: the build has one JDK, and the kernels need 25
    int bits = KernelProvider.vector().orElseThrow().vectorBits();
    String vector = "vector-" + bits + " | jdk.incubator.vector, " + bits + "-bit FloatVector";
    assertEquals(vector + "\n" + vector, releaseChoice(25, VECTOR));
    String other = "the vector kernels are built for the Vector API of Java 25, this is Java 26; -Dvmlp.kernels=vector "
        + "tries them anyway";
    assertEquals("scalar | " + other + "\nnone | " + other, releaseChoice(26, VECTOR));
    assertEquals("scalar | forced by -Dvmlp.kernels=scalar\nnone | " + other,
        releaseChoice(26, VECTOR, "-Dvmlp.kernels=scalar"));
    // forced, vector() gives the kernels that get() runs, rather than advise the setting that is already there
    assertEquals(vector + "\n" + vector, releaseChoice(26, VECTOR, "-Dvmlp.kernels=vector"));
    assertEquals(vector + "\n" + vector, releaseChoice(24, VECTOR, "-Dvmlp.kernels= Vector "), "read as get() reads it");
    // the release is the one prerequisite the setting waives: the others fail both alike
    String c1 = "C2 is off (-XX:TieredStopAtLevel=1); the Vector API needs the C2 compiler";
    assertEquals("error | -Dvmlp.kernels=vector, but the vector kernels cannot run: " + c1 + "\nnone | " + c1,
        releaseChoice(26, VECTOR, "-Dvmlp.kernels=vector", "-XX:TieredStopAtLevel=1"));
  }

  @Test
  void theChoiceIsLoggedOnceWithTheReasonForAFallback() throws Exception {
    String cp = System.getProperty("java.class.path");
    assertEquals("WARNING vmlp kernels: scalar fallback, jdk.incubator.vector is not readable; run with --add-modules "
        + "jdk.incubator.vector", probe(cp)[1]);
    assertEquals("WARNING vmlp kernels: scalar fallback, C2 is off (-XX:TieredStopAtLevel=1); the Vector API needs "
        + "the C2 compiler",
        probe(cp, VECTOR, "-XX:TieredStopAtLevel=1")[1]);
    int bits = KernelProvider.vector().orElseThrow().vectorBits();
    assertEquals("INFO vmlp kernels: vector-" + bits + " (jdk.incubator.vector, " + bits + "-bit FloatVector)",
        probe(cp, VECTOR)[1]);
    assertEquals("INFO vmlp kernels: vector-128 (jdk.incubator.vector, 128-bit FloatVector)",
        probe(cp, VECTOR, "-Dvmlp.vectorBits=128")[1]);
    assertEquals("INFO vmlp kernels: scalar (forced by -Dvmlp.kernels=scalar)",
        probe(cp, VECTOR, "-Dvmlp.kernels=scalar")[1]);
  }
}
