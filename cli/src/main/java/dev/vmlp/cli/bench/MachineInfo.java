package dev.vmlp.cli.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmlp.jmh.CacheSizes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine and JVM a run measured, and how it was run: {@code machine.json} beside the JMH JSON.
 *
 * @param cpuModel the CPU's model name
 * @param logicalCores processors the JVM sees, 0 when unknown (the report shows a count below 1 as unknown)
 * @param vectorIsa the widest SIMD instruction set the CPU reports (e.g. {@code avx512f}), or empty
 * @param memoryBytes physical memory, 0 when unknown
 * @param os operating system name, version and architecture
 * @param caches the data caches and where their sizes came from
 * @param probeBuffers the bandwidth probe's buffer bytes per level
 * @param javaVersion the runtime version of the JVM that ran {@code vmlp bench}
 * @param javaVendor its vendor
 * @param vmName its VM name
 * @param kernels vmlp's kernels in the benchmark forks, e.g. {@code vector-512} ({@code unknown} when a
 *     JVM with their options could not tell)
 * @param kernelsReason why those kernels were chosen
 * @param jvmArgs that JVM's arguments (the forks' are in the JMH JSON)
 * @param openblasThreads {@code OPENBLAS_NUM_THREADS} as the forks inherit it: its value, {@value #UNSET},
 *     or null in files written before it was recorded
 * @param run how the run was made, or null for facts collected without a run
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MachineInfo(
    String cpuModel, int logicalCores, String vectorIsa, long memoryBytes, String os, CacheSizes caches,
    Map<String, Long> probeBuffers, String javaVersion, String javaVendor, String vmName, String kernels,
    String kernelsReason, List<String> jvmArgs, String openblasThreads, Run run) {
  public static final String UNSET = "unset";

  /** Fields a file lacks read as empty (strings, lists) or absent (caches, probe buffers, run). */
  public MachineInfo {
    cpuModel = orEmpty(cpuModel);
    vectorIsa = orEmpty(vectorIsa);
    os = orEmpty(os);
    javaVersion = orEmpty(javaVersion);
    javaVendor = orEmpty(javaVendor);
    vmName = orEmpty(vmName);
    kernels = orEmpty(kernels);
    kernelsReason = orEmpty(kernelsReason);
    jvmArgs = orEmpty(jvmArgs);
    if (caches != null && caches.source() == null) {
      caches = new CacheSizes(caches.l1d(), caches.l2(), caches.l3(), "");
    }
    if (openblasThreads != null && openblasThreads.isBlank()) {
      openblasThreads = null;
    }
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The list without nulls (a JSON {@code null} in it, or none at all). */
  static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l.stream().filter(java.util.Objects::nonNull).toList();
  }

  /**
   * @param command the command line that produced the run, e.g. {@code bin/vmlp bench --quick}
   * @param preset {@code quick} or {@code full}
   * @param jmhOptions the options of each JMH invocation, in JMH's command-line syntax
   * @param started when the run started (ISO-8601, UTC)
   * @param wallSeconds how long it took
   * @param planned benchmark and parameter combinations planned
   * @param failed how many of those produced no result
   * @param interrupted whether a signal stopped the run (Ctrl-C, SIGTERM, SIGHUP): the results are of
   *     the benchmarks that finished before it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Run(
      String command, String preset, List<String> jmhOptions, String started, double wallSeconds, int planned,
      int failed, boolean interrupted) {
    /** Fields a file lacks read as empty. */
    public Run {
      command = orEmpty(command);
      preset = orEmpty(preset);
      jmhOptions = orEmpty(jmhOptions);
      started = orEmpty(started);
    }

    /** The longest run a machine.json may record: a year of seconds. */
    static final double MAX_WALL_SECONDS = 365 * 24 * 3600.0;

    /**
     * The field that holds a value no run can have, as {@code run.wallSeconds: -65.0 is ...}, or null: a
     * hand-edited time of -65 s showed as "-1:-5 min", the text "NaN" (which Jackson reads as a number)
     * as "0:00 min", 1e300 as "153722867280912930:07 min" (the most seconds a long holds), a count of -3
     * as "of -3 planned".
     */
    String badValue() {
      if (!(wallSeconds >= 0 && Double.isFinite(wallSeconds))) {
        return "run.wallSeconds: " + wallSeconds + " is not a finite, non-negative number of seconds";
      }
      if (wallSeconds > MAX_WALL_SECONDS) {
        return "run.wallSeconds: " + wallSeconds + " is more than a year (" + (long) MAX_WALL_SECONDS + " s)";
      }
      if (planned < 0) {
        return "run.planned: " + planned + " is negative";
      }
      return failed < 0 ? "run.failed: " + failed + " is negative" : null;
    }
  }

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The same facts with {@code run} in place. */
  public MachineInfo withRun(Run r) {
    return new MachineInfo(cpuModel, logicalCores, vectorIsa, memoryBytes, os, caches, probeBuffers, javaVersion,
        javaVendor, vmName, kernels, kernelsReason, jvmArgs, openblasThreads, r);
  }

  /** Writes these facts to {@code file}, whole or not at all. */
  public void write(Path file) throws IOException {
    AtomicWrite.text(file, JSON.writeValueAsString(this) + "\n");
  }

  /** The facts in {@code file}; fields it lacks read as empty. An {@link IOException} naming the file when it is not a JSON object. */
  public static MachineInfo read(Path file) throws IOException {
    MachineInfo m;
    try {
      m = JSON.readValue(file.toFile(), MachineInfo.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + ": not a machine description (" + field(e) + Report.firstLine(e.getOriginalMessage())
          + ")", e);
    }
    if (m == null) {
      throw new IOException(file + ": not a machine description (null, not an object)");
    }
    String bad = m.run() == null ? null : m.run().badValue();
    if (bad != null) {
      throw new IOException(file + ": not a machine description (" + bad + ")");
    }
    return m;
  }

  /**
   * The field a mapping error is in, as {@code run.failed: } or {@code jvmArgs[2]: }; empty for an error
   * of the JSON itself. Jackson's message names the type it wanted alone ("Cannot deserialize value of
   * type `int`"), not which of the file's fields.
   */
  private static String field(com.fasterxml.jackson.core.JacksonException e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (var ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "" : b + ": ";
  }

  /**
   * The {@code machine.json} that belongs to a JMH JSON file: {@code NAME.machine.json} beside
   * {@code NAME.json}, else {@code machine.json} in the same folder; null when neither exists.
   */
  public static MachineInfo besides(Path jmhJson) throws IOException {
    Path dir = jmhJson.toAbsolutePath().getParent();
    String name = jmhJson.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    for (Path p : List.of(dir.resolve(stem + ".machine.json"), dir.resolve("machine.json"))) {
      if (Files.isRegularFile(p)) {
        return read(p);
      }
    }
    return null;
  }

  /**
   * This machine and JVM, and the kernels of benchmark forks started with {@code forkJvmArgs} (the
   * options {@code --jvm-arg} gives them; {@code --add-modules=jdk.incubator.vector} is added, as every
   * benchmark's annotation does).
   */
  public static MachineInfo collect(List<String> forkJvmArgs) {
    List<String> forkArgs = new java.util.ArrayList<>(forkJvmArgs);
    forkArgs.add(BenchPlan.ADD_VECTOR_MODULE);
    ForkKernels.Choice kernels = ForkKernels.of(forkArgs);
    Map<String, String> cpu = cpuInfo();
    CacheSizes caches = CacheSizes.detect();
    Map<String, Long> buffers = new LinkedHashMap<>();
    for (String level : CacheSizes.LEVELS) {
      buffers.put(level, caches.probeBytes(level));
    }
    String model = model(cpu, System.getProperty("os.arch"));
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    return new MachineInfo(model, Runtime.getRuntime().availableProcessors(),
        vectorIsa(cpu.getOrDefault("flags", cpu.getOrDefault("Features", ""))), physicalMemory(), os, caches, buffers,
        System.getProperty("java.runtime.version"), System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
        kernels.name(), kernels.reason(),
        List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments()), openblasThreads(System.getenv()), null);
  }

  /** {@code OPENBLAS_NUM_THREADS} in {@code env}, or {@value #UNSET} (then OpenBLAS threads over every core). */
  static String openblasThreads(Map<String, String> env) {
    String v = env.get("OPENBLAS_NUM_THREADS");
    return v == null || v.isBlank() ? UNSET : v;
  }

  /**
   * The CPU's name from {@link #cpuInfo} fields (x86's {@code model name}, ARM's {@code Model}), else
   * {@code arch}; with x86's family and model numbers where both are known.
   */
  static String model(Map<String, String> cpu, String arch) {
    String model = cpu.getOrDefault("model name", cpu.getOrDefault("Model", ""));
    if (model.isEmpty()) {
      model = arch;
    }
    if (cpu.containsKey("cpu family") && cpu.containsKey("model")) {
      model += " (family " + cpu.get("cpu family") + ", model " + cpu.get("model") + ")";
    }
    return model;
  }

  /** The first processor's fields of /proc/cpuinfo (empty elsewhere). */
  static Map<String, String> cpuInfo() {
    try {
      return cpuInfo(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return new LinkedHashMap<>(); // not Linux: the model stays unknown
    }
  }

  /** The first processor's fields of the lines of /proc/cpuinfo. */
  static Map<String, String> cpuInfo(List<String> lines) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.isBlank() && !fields.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /** The widest vector extension among the CPU flags. */
  static String vectorIsa(String flags) {
    List<String> have = List.of(flags.toLowerCase(Locale.ROOT).split("\\s+"));
    for (String isa : List.of("avx512f", "avx2", "avx", "sse4_2", "sve2", "sve", "asimd", "neon")) {
      if (have.contains(isa)) {
        return isa;
      }
    }
    return "";
  }

  static long physicalMemory() {
    try {
      return physicalMemory(Files.readAllLines(Path.of("/proc/meminfo")));
    } catch (IOException | RuntimeException e) {
      return 0; // unknown
    }
  }

  /** Bytes of memory by the lines of /proc/meminfo ({@code MemTotal}, in KiB), 0 when they do not say. */
  static long physicalMemory(List<String> lines) {
    for (String line : lines) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  /** Whether a JVM with the forks' options started and chose kernels ({@link #kernelsReason} says why not). */
  public boolean forksStart() {
    return !kernels.equals(ForkKernels.UNKNOWN);
  }
}
