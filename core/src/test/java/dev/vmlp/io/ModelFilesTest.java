package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.internal.io.AtomicFiles;
import dev.vmlp.InputScaling;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import dev.vmlp.Trainer;
import dev.vmlp.Workspace;
import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading: round trips, the bytes written, atomic replacement, files without metadata. */
class ModelFilesTest {
  static TrainTest digits;
  static Model trained;

  @TempDir
  Path tmp;

  @BeforeAll
  static void train() {
    digits = Digits.load();
    Architecture arch = Architecture.builder(64).hidden(32, Activation.RELU).hidden(16, Activation.TANH)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).seed(11).build()) {
      trained = t.fit(digits.train(), null, 2).model();
    }
  }

  @Test
  void trainSaveLoadPredictsTheSameBits() throws IOException {
    Path f = tmp.resolve("digits.safetensors");
    ModelFiles.save(trained, f);
    Model loaded = ModelFiles.load(f);

    assertEquals(trained.architecture(), loaded.architecture());
    assertEquals(trained.scaling(), loaded.scaling());
    assertEquals(trained.weightsSha256(), loaded.weightsSha256());
    assertEquals(trained.weights(), loaded.weights());
    for (Map.Entry<String, String> e : trained.metadata().entrySet()) {
      assertEquals(e.getValue(), loaded.metadata().get(e.getKey()), e.getKey());
    }
    assertEquals("1", loaded.metadata().get("vmlp.format_version"));
    assertFalse(loaded.metadata().get("vmlp.library_version").isBlank());

    Workspace a = trained.newWorkspace();
    Workspace b = loaded.newWorkspace();
    float[] pa = new float[10];
    float[] pb = new float[10];
    for (int i = 0; i < digits.test().size(); i++) {
      float[] x = digits.test().row(i);
      trained.predictProbabilities(x, 0, pa, 0, a);
      loaded.predictProbabilities(x, 0, pb, 0, b);
      for (int k = 0; k < 10; k++) {
        assertEquals(Float.floatToRawIntBits(pa[k]), Float.floatToRawIntBits(pb[k]), "row " + i + " class " + k);
      }
      assertEquals(trained.predict(x), loaded.predict(x));
    }
  }

  @Test
  void everyScalingKindAndBothHeadsRoundTrip() throws IOException {
    float[] shift = {0.1f, -3.75f, 1e-7f, 12345.678f};
    float[] scale = {1 / 3f, 2.5f, 1e6f, 0.0009765625f};
    List<InputScaling> scalings = List.of(InputScaling.none(), InputScaling.divideBy(255f),
        InputScaling.perFeature(shift, scale));
    for (Head head : Head.values()) {
      for (InputScaling s : scalings) {
        Architecture arch = Architecture.builder(4).hidden(5, Activation.LEAKY_RELU).hidden(3, Activation.SIGMOID)
            .output(2, head);
        Model m = Model.initialize(arch, 3).withScaling(s);
        Path f = tmp.resolve(head.id() + "-" + s.kind().id() + ".safetensors");
        ModelFiles.save(m, f);
        ModelFileRejectionTest.seed(Files.readAllBytes(f));
        Model back = ModelFiles.load(f);
        assertEquals(arch, back.architecture());
        assertEquals(s, back.scaling(), "scaling " + s); // equal bits of factor, shifts and scales
        assertEquals(m.weightsSha256(), back.weightsSha256());
        if (s.kind() == InputScaling.Kind.SCALE) {
          // written by Float.toString: the shortest text of the float, not of its double widening
          assertEquals(Float.toString(s.factor()), back.metadata().get("vmlp.scaling.factor"));
        }
      }
    }
  }

  @Test
  void aLoadedModelGivenAnotherScalingNoLongerDescribesTheFilesScalingInItsMetadata() throws IOException {
    Path f = tmp.resolve("standardized.safetensors");
    Architecture arch = Architecture.builder(2).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    InputScaling standardized = InputScaling.perFeature(new float[] {1f, 2f}, new float[] {0.5f, 4f});
    ModelFiles.save(Model.initialize(arch, 5).withScaling(standardized), f);
    Model loaded = ModelFiles.load(f);
    assertEquals("standardize", loaded.metadata().get("vmlp.scaling"));
    assertEquals(loaded.metadata(), loaded.withScaling(standardized).metadata(), "the same scaling keeps them");

    Model plain = loaded.withScaling(InputScaling.none());
    for (String key : List.of("vmlp.scaling", "vmlp.scaling.shift", "vmlp.scaling.scale")) {
      assertFalse(plain.metadata().containsKey(key), key + " still describes the file's standardisation");
    }
    assertEquals(loaded.metadata().get("weights_sha256"), plain.metadata().get("weights_sha256"));
    assertEquals(plain.weightsSha256(), plain.metadata().get("weights_sha256"));
    Path g = tmp.resolve("plain.safetensors");
    ModelFiles.save(plain, g);
    Model back = ModelFiles.load(g);
    assertEquals(InputScaling.none(), back.scaling());
    assertEquals("none", back.metadata().get("vmlp.scaling"));
    assertFalse(back.metadata().containsKey("vmlp.scaling.shift"));
  }

  @Test
  void aNetworkWithoutHiddenLayersRoundTrips() throws IOException {
    Architecture arch = Architecture.builder(3).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.initialize(arch, 5);
    Path f = tmp.resolve("linear.safetensors");
    ModelFiles.save(m, f);
    Model back = ModelFiles.load(f);
    assertEquals(arch, back.architecture());
    assertEquals("", back.metadata().get("vmlp.activations"));
  }

  /**
   * A saved model loaded and saved again gives the same bytes, whatever its keys: weights_sha256 is
   * written last, also when the model's metadata has it (as a loaded model's does) and a key of the
   * user's sorts after it.
   */
  @Test
  void aLoadedModelSavesToTheBytesItWasLoadedFrom() throws IOException {
    Model m = SafetensorsBytes.small().withMetadata(Map.of("alpha", "1", "zeta", "2", "seed", "7"));
    byte[] first = SafetensorsBytes.saved(m, tmp);
    Model loaded = ModelFiles.read(first, null, LoadOptions.defaults());
    assertEquals(m.weightsSha256(), loaded.metadata().get("weights_sha256"));
    assertArrayEquals(first, SafetensorsBytes.saved(loaded, tmp));
    List<String> keys = iterate(SafetensorsBytes.header(first).path("__metadata__").fieldNames());
    assertEquals(List.of("alpha", "seed", "zeta", "weights_sha256"), keys.subList(keys.size() - 4, keys.size()));
  }

  @Test
  void theBytesFollowTheSafetensorsLayout() throws IOException {
    Model m = SafetensorsBytes.small();
    byte[] file = SafetensorsBytes.saved(m, tmp);
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + n) % 8, "the data starts at a multiple of 8 bytes");
    for (int k = 1; k < 8; k++) { // headers of every length modulo 8
      byte[] other = SafetensorsBytes.saved(m.withMetadata(Map.of("note", "x".repeat(k))), tmp);
      long length = ByteBuffer.wrap(other, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(0, (8 + length) % 8, "the data starts at a multiple of 8 bytes with a note of " + k);
    }
    String header = new String(file, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{"), header);
    assertTrue(header.stripTrailing().endsWith("}"), header);
    assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '), "padding is spaces");

    ObjectNode h = SafetensorsBytes.header(file);
    assertEquals(List.of("__metadata__", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
        iterate(h.fieldNames()));
    assertEquals("F32", h.path("layers.0.weight").path("dtype").asText());
    assertEquals("[3,4]", h.path("layers.0.weight").path("shape").toString());
    assertEquals("[0,48]", h.path("layers.0.weight").path("data_offsets").toString());
    assertEquals("[48,60]", h.path("layers.0.bias").path("data_offsets").toString());
    assertEquals("[60,84]", h.path("layers.1.weight").path("data_offsets").toString());
    assertEquals("[84,92]", h.path("layers.1.bias").path("data_offsets").toString());

    ObjectNode meta = (ObjectNode) h.path("__metadata__");
    assertEquals("1", meta.path("vmlp.format_version").asText());
    assertEquals("relu", meta.path("vmlp.activations").asText());
    assertEquals("softmax", meta.path("vmlp.head").asText());
    assertEquals("scale", meta.path("vmlp.scaling").asText());
    assertEquals("0.5", meta.path("vmlp.scaling.factor").asText());
    assertEquals("7", meta.path("seed").asText());
    assertEquals(m.weightsSha256(), meta.path("weights_sha256").asText());
    assertFalse(meta.has("format"), "the Hugging Face 'format' key is not written");

    // The data: layer 0's weights row-major [out][in], little-endian float32, then its bias, and so on.
    byte[] data = SafetensorsBytes.data(file);
    assertEquals(92, data.length);
    List<LayerWeights> w = m.weights();
    assertArrayEquals(SafetensorsBytes.concat(SafetensorsBytes.floats(w.get(0).weights()),
        SafetensorsBytes.floats(w.get(0).bias()), SafetensorsBytes.floats(w.get(1).weights()),
        SafetensorsBytes.floats(w.get(1).bias())), data);
  }

  @Test
  void savingReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    Files.writeString(f, "an older file, much longer than the model that replaces it ".repeat(1000));
    ModelFiles.save(SafetensorsBytes.small(), f);
    assertEquals(SafetensorsBytes.small().weightsSha256(), ModelFiles.load(f).weightsSha256());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(f), files.toList());
    }
  }

  @Test
  void anInterruptedSaveLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    byte[] before = Files.readAllBytes(f);
    Model big = Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1); // ~800 KB: many chunks
    for (long stopAfter : new long[] {1, 1 << 16, 1 << 19}) {
      IOException e = assertThrows(IOException.class, () -> ModelFiles.save(big, f, written -> {
        if (written >= stopAfter) {
          throw new IOException("disk full (simulated)");
        }
      }));
      assertEquals(f + ": cannot be written: disk full (simulated)", e.getMessage()); // the file is named
      assertArrayEquals(before, Files.readAllBytes(f), "the old file is untouched");
      try (Stream<Path> files = Files.list(tmp)) {
        assertEquals(List.of(f), files.toList(), "no temporary file is left");
      }
    }
    // A save interrupted by the thread's interrupt keeps the type that says so, and the old file.
    Thread.currentThread().interrupt();
    try {
      assertThrows(java.nio.channels.ClosedByInterruptException.class, () -> ModelFiles.save(big, f));
    } finally {
      Thread.interrupted();
    }
    assertArrayEquals(before, Files.readAllBytes(f));
    // The interruption happened while writing: without it, the same save completes.
    ModelFiles.save(big, f, written -> { });
    assertEquals(big.weightsSha256(), ModelFiles.load(f).weightsSha256());
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aJvmStoppedDuringASaveLeavesAWholeFileAndNoTemporaryFile() throws Exception {
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    byte[] before = Files.readAllBytes(f);
    // SIGTERM (as Ctrl-C's SIGINT) while the save is held: the old file stays, and its temporary file goes
    assertEquals(0, stopWhileSaving(f, 600_000));
    assertArrayEquals(before, Files.readAllBytes(f), "the old file is untouched");
    // a save that ends within the shutdown's grace period completes
    assertEquals(0, stopWhileSaving(f, 500));
    assertEquals(Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1).weightsSha256(), ModelFiles.load(f).weightsSha256());
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aJvmWhoseSaveEndedExitsWithoutWaitingOutTheShutdownGrace() throws Exception {
    // the shutdown hook waits only for the saves under way: one that ended is no longer one of them
    Path f = tmp.resolve("done.safetensors");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dvmlp.exitWaitSeconds=600", "-cp", System.getProperty("java.class.path"), SaveUntilStopped.class.getName(),
        f.toString(), "0").redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the JVM exits once main returns");
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
    assertEquals(Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1).weightsSha256(), ModelFiles.load(f).weightsSha256());
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aTrialFileThatCannotBeRemovedDoesNotHoldTheJvmAtExit() throws Exception {
    // an append-only folder (chattr +a, as root) takes a new file but lets none be removed
    Path dir = Files.createDirectory(tmp.resolve("append-only"));
    Assumptions.assumeTrue(chattr("+a", dir), "no chattr +a here");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dvmlp.exitWaitSeconds=600", "-cp", System.getProperty("java.class.path"),
          CheckCreatableAndExit.class.getName(), dir.resolve("m.safetensors").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try {
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS),
            "the JVM exits without waiting out the grace period for a file no write holds");
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(said.contains("could not be closed or removed"), said);
      } finally {
        p.destroyForcibly();
      }
    } finally {
      chattr("-a", dir);
    }
  }

  private static boolean chattr(String flag, Path dir) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no chattr
    }
  }

  /** Runs {@link SaveUntilStopped} on {@code f}, stops it as its save holds, and counts the files beside {@code f}. */
  private long stopWhileSaving(Path f, long holdMillis) throws Exception {
    // the shutdown waits 2 s for the held save rather than 30
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dvmlp.exitWaitSeconds=2", "-cp", System.getProperty("java.class.path"), SaveUntilStopped.class.getName(),
        f.toString(), Long.toString(holdMillis)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertEquals("writing", out.readLine());
      p.destroy(); // SIGTERM: the JVM runs its shutdown hooks
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the JVM exits");
    } finally {
      p.destroyForcibly();
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(q -> !q.equals(f)).count();
    }
  }

  @Test
  void whileASaveWritesTheTargetKeepsItsOldBytesAndTheNewOnesGoToAHiddenFileBesideIt() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    byte[] before = Files.readAllBytes(f);
    Model big = Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1);
    List<Long> seen = new ArrayList<>();
    ModelFiles.save(big, f, written -> {
      assertArrayEquals(before, Files.readAllBytes(f), "the target is untouched until the rename");
      try (Stream<Path> files = Files.list(tmp)) {
        List<Path> others = files.filter(p -> !p.equals(f)).toList();
        assertEquals(1, others.size(), others::toString);
        String name = others.get(0).getFileName().toString();
        assertTrue(name.startsWith(".m.safetensors.") && name.endsWith(".tmp"), name);
        assertEquals(written, Files.size(others.get(0)), "what is written goes to the temporary file");
      }
      seen.add(written);
    });
    assertTrue(seen.size() > 1, "written in chunks: " + seen);
    assertEquals(big.weightsSha256(), ModelFiles.load(f).weightsSha256());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(f), files.toList());
    }
  }

  @Test
  void aRenameThatFailsNamesTheTargetAndLeavesNoTemporaryFile() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    Model big = Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1);
    // a folder with a file in it appears at the target while the save writes: the rename fails
    java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
        () -> ModelFiles.save(big, f, written -> {
          if (Files.isRegularFile(f)) {
            Files.delete(f);
            Files.writeString(Files.createDirectory(f).resolve("inside"), "x");
          }
        }));
    assertTrue(e.getMessage().startsWith(f + ": cannot be replaced by the new file ("), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(f), files.toList(), "no temporary file is left");
    }
  }

  @Test
  void aNameTooLongForTheFileSystemIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path f = tmp.resolve("a".repeat(300) + ".safetensors"); // over the 255 bytes of a name
    java.nio.file.FileSystemException e =
        assertThrows(java.nio.file.FileSystemException.class, () -> ModelFiles.saveTarget(f));
    // the file system's reason, not the exception's class name
    assertEquals(f + ": cannot be created (File name too long)", e.getMessage());
    assertFalse(e instanceof java.nio.file.NoSuchFileException, e.toString());
    assertEquals(tmp.resolve("m.safetensors").toAbsolutePath(), ModelFiles.saveTarget(tmp.resolve("m.safetensors")));
  }

  @Test
  void aTrialOfTheTemporaryFileLeavesTheFolderAsItWasAndNamesAFolderThatTakesNoNewFile() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    AtomicFiles.checkCreatable(f, ModelFiles.saveTarget(f));
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(), files.toList(), "the trial file is removed");
    }
    Path old = Files.writeString(f, "an older file");
    AtomicFiles.checkCreatable(f, ModelFiles.saveTarget(f));
    assertEquals("an older file", Files.readString(old), "the target is not touched");
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(old), files.toList());
    }
    // /proc takes no new file, though root passes its permission check; named with the system's words
    Path proc = Path.of("/proc/vmlp-trial.safetensors");
    Assumptions.assumeTrue(Files.isDirectory(proc.getParent()), "no /proc here");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.checkCreatable(proc, proc));
    assertTrue(e.getMessage().startsWith(proc + ": cannot create a file in /proc ("), e.getMessage());
    // as root; another user is told "Permission denied"
    assertTrue(e.getMessage().endsWith("(the folder takes no new file: No such file or directory)")
        || e.getMessage().endsWith("(Permission denied)"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }

  @Test
  void anotherUsersFileInAStickyFolderIsNotASaveTarget() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    Path f = dir.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    int owner;
    try {
      owner = (Integer) Files.getAttribute(f, "unix:uid");
      Files.setAttribute(dir, "unix:mode", 01777);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      org.junit.jupiter.api.Assumptions.abort("no unix attributes here");
      return;
    }
    int other = owner + 12345;
    assertTrue(ModelFiles.stickyAndNotOurs(f, other), "another user may not rename over it (as in /tmp)");
    assertFalse(ModelFiles.stickyAndNotOurs(f, owner), "its owner may");
    assertFalse(ModelFiles.stickyAndNotOurs(f, 0), "root may");
    Files.setAttribute(dir, "unix:mode", 0777);
    assertFalse(ModelFiles.stickyAndNotOurs(f, other), "without the sticky bit a writable folder is enough");
    // root may whoever owns them: run as root, the files above are root's own, so give them away
    Files.setAttribute(dir, "unix:mode", 01777);
    try {
      Files.setAttribute(f, "unix:uid", other);
      Files.setAttribute(dir, "unix:uid", other);
    } catch (IOException e) {
      return; // not root: the files cannot be given away, and uid 0 is not the owner above
    }
    // run as root, "its owner may" above stopped at uid 0; here the owner is another user
    assertFalse(ModelFiles.stickyAndNotOurs(f, other), "the owner of the file and the folder may");
    assertTrue(ModelFiles.stickyAndNotOurs(f, other + 1), "a third user may not");
    Files.setAttribute(f, "unix:uid", other + 1);
    assertFalse(ModelFiles.stickyAndNotOurs(f, other), "the owner of the folder may");
    assertFalse(ModelFiles.stickyAndNotOurs(f, other + 1), "the owner of the file may");
    assertFalse(ModelFiles.stickyAndNotOurs(f, 0), "root may rename over another user's file");
  }

  @Test
  void savingIntoAMissingFolderOrOverAFolderAndLoadingAFolderFail() throws IOException {
    Model m = SafetensorsBytes.small();
    assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFiles.save(m, tmp.resolve("no/such/m.st")));
    Path dir = Files.createDirectory(tmp.resolve("d"));
    IOException e = assertThrows(IOException.class, () -> ModelFiles.save(m, dir));
    assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    assertTrue(Files.isDirectory(dir));
    IOException load = assertThrows(IOException.class, () -> ModelFiles.load(dir));
    assertEquals(dir + ": is a folder, not a model file", load.getMessage());
  }

  @Test
  void aNullFileOrNullOptionsAreNamedBeforeAnythingIsRead() throws IOException {
    // a null file was an NPE naming "path", the parameter of Files.isDirectory
    assertEquals("file", assertThrows(NullPointerException.class, () -> ModelFiles.load(null)).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class,
        () -> ModelFiles.load(null, LoadOptions.defaults())).getMessage());
    // null options were found only once the header had been read and checked: a damaged file was blamed
    // for them ("header length: the file has 3 bytes"), and a good one gave an NPE deep in the metadata's decoding
    Path good = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), good);
    Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[] {1, 2, 3});
    for (Path file : new Path[] {good, bad}) {
      assertEquals("options", assertThrows(NullPointerException.class, () -> ModelFiles.load(file, null)).getMessage());
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void loadingAPipeOrADeviceFailsAtOnce() throws Exception {
    // opening a pipe for reading would wait for a writer
    Path fifo = tmp.resolve("model.safetensors");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    for (Path special : new Path[] {fifo, Path.of("/dev/null")}) {
      java.nio.file.FileSystemException e =
          assertThrows(java.nio.file.FileSystemException.class, () -> ModelFiles.load(special));
      assertEquals(special + ": is not a regular file (a device, pipe or socket); a model is loaded from a file",
          e.getMessage());
    }
    assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFiles.load(tmp.resolve("missing")));
  }

  @Test
  void savedHeadersDoNotDependOnTheMapsOrderAndLongNamesSave() throws IOException {
    Model m = SafetensorsBytes.small().withMetadata(Map.of("zeta", "1", "alpha", "2", "mid", "3"));
    Path f = tmp.resolve("x".repeat(230) + ".safetensors"); // 242 characters: a temporary name fits too
    ModelFiles.save(m, f);
    byte[] bytes = Files.readAllBytes(f);
    String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(),
        StandardCharsets.UTF_8);
    int alpha = header.indexOf("\"alpha\"");
    int mid = header.indexOf("\"mid\"");
    int zeta = header.indexOf("\"zeta\"");
    assertTrue(alpha > 0 && alpha < mid && mid < zeta, header);
    assertEquals(List.of("alpha", "mid", "zeta"),
        m.metadata().keySet().stream().filter(k -> k.length() > 2 && !k.contains("_")).toList());
    // a name whose 64th character is half of a pair: the temporary name keeps whole characters
    ModelFiles.save(m, tmp.resolve("a".repeat(63) + "\ud83d\ude00.safetensors"));
    try (var left = Files.list(tmp)) {
      assertEquals(2, left.count(), "no temporary file is left");
    }
  }

  @Test
  void reservedOrUnparsableMetadataIsRefusedWhenSaving() {
    Model m = SafetensorsBytes.small();
    IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(Map.of("vmlp.custom", "x")), tmp.resolve("a")));
    assertTrue(reserved.getMessage().contains("vmlp.custom"), reserved.getMessage());
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(Map.of("seed", "forty-two")), tmp.resolve("b")));
    assertTrue(seed.getMessage().contains("'seed'") && seed.getMessage().contains("forty-two"), seed.getMessage());
    // a leading zero, which a load refuses, is refused before anything is written
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(Map.of("epochs", "007")), tmp.resolve("e")));
    assertTrue(zero.getMessage().contains("'007' is not a count of epochs (it has a leading zero"), zero.getMessage());
    assertFalse(Files.exists(tmp.resolve("e")));
    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(Map.of("epoch_samples", "5")), tmp.resolve("c")));
    assertTrue(alone.getMessage().startsWith("metadata 'epoch_samples': 5 samples of a part-done epoch are recorded"
        + " without epoch_size"), alone.getMessage());
    // a key a load refuses (the format's own name) is refused before anything is written
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(Map.of("__metadata__", "x")), tmp.resolve("d")));
    assertTrue(format.getMessage().contains("'__metadata__' is reserved by the file format"), format.getMessage());
    assertFalse(Files.exists(tmp.resolve("d")));
  }

  @Test
  void theMostMetadataALoadTakesIsSavedAgainWithTheKeysASaveAndATrainerAdd() throws IOException {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      many.put("k" + i, "v");
    }
    // a file without vmlp metadata (a PyTorch export) at the limit loads; saving it adds vmlp.* and weights_sha256
    ObjectNode header = SafetensorsBytes.JSON.createObjectNode();
    many.forEach(header.putObject("__metadata__")::put);
    header.set("0.weight", SafetensorsBytes.tensor("F32", new long[] {2, 3}, 0, 24));
    header.set("0.bias", SafetensorsBytes.tensor("F32", new long[] {2}, 24, 32));
    Path foreign = Files.write(tmp.resolve("foreign.safetensors"), SafetensorsBytes.file(header,
        SafetensorsBytes.floats(1, 2, 3, 4, 5, 6, 7, 8)));
    Model loaded = ModelFiles.load(foreign);
    Path again = tmp.resolve("again.safetensors");
    ModelFiles.save(loaded, again);
    assertEquals(loaded.metadata().size() + 6, ModelFiles.load(again).metadata().size()); // 5 vmlp.* and the hash
    // a model of this library with as many keys of the user's and a trainer's provenance saves and loads
    Map<String, String> withProvenance = new HashMap<>(many);
    withProvenance.putAll(SafetensorsBytes.small().metadata());
    withProvenance.putAll(Map.of("shuffle", "true", "online_samples", "3", "dataset", "digits"));
    Model m = SafetensorsBytes.small().withMetadata(withProvenance);
    ModelFiles.save(m, again);
    assertEquals(withProvenance.size() + 7, ModelFiles.load(again).metadata().size()); // 6 vmlp.* and the hash
  }

  @Test
  void metadataThatLoadWouldRefuseIsRefusedWhenSavingAndNothingIsWritten() throws IOException {
    Model m = SafetensorsBytes.small();
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= 10_000; i++) {
      many.put("k" + i, "v");
    }
    Map<Map<String, String>, String> cases = Map.of(
        many, "more than 10000 entries",
        Map.of("note", "half \ud800 a pair"), "unpaired surrogate",
        Map.of("k".repeat(70_000), "v"), "Name length");
    for (Map.Entry<Map<String, String>, String> c : cases.entrySet()) {
      Path f = tmp.resolve("refused.safetensors");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ModelFiles.save(m.withMetadata(c.getKey()), f));
      assertTrue(e.getMessage().contains("would not load") && e.getMessage().contains(c.getValue()), e.getMessage());
      try (Stream<Path> files = Files.list(tmp)) {
        assertEquals(List.of(), files.toList(), "nothing is written");
      }
    }
  }

  @Test
  void aRelativeLinkToNothingIsNamedWhereTheSystemLooksNotUnderTheLinkedFolderName() throws IOException {
    // models -> store/v2, and store/v2/current.safetensors -> ../gone.safetensors: the system looks in store
    Path store = Files.createDirectories(tmp.resolve("store/v2")).getParent();
    Path models = Files.createSymbolicLink(tmp.resolve("models"), store.resolve("v2"));
    Files.createSymbolicLink(store.resolve("v2/current.safetensors"), Path.of("../gone.safetensors"));
    Path file = models.resolve("current.safetensors");
    IOException e = assertThrows(IOException.class, () -> ModelFiles.save(SafetensorsBytes.small(), file));
    // it read ".../models/../gone.safetensors", which reads as a file beside models
    assertEquals(file + ": is a link to " + store.toRealPath().resolve("gone.safetensors") + ", which does not exist",
        e.getMessage());
    Files.createSymbolicLink(store.resolve("v2/reports"), Path.of("../../reports"));
    assertEquals("a link to " + tmp.toRealPath().resolve("reports") + ", which does not exist",
        AtomicFiles.danglingText(models.resolve("reports")));
  }

  @Test
  void aLinkIntoAFolderThatCannotBeSearchedIsNotCalledALinkToNothing() throws IOException {
    // the folder may well be there: only a folder on the way is closed to this user (root passes it)
    Path models = Files.createDirectories(tmp.resolve("closed/models"));
    Path closed = models.getParent();
    Path link = Files.createSymbolicLink(tmp.resolve("models-link"), models);
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(Files.isDirectory(link), "this user searches any folder (root)");
      assertEquals(null, AtomicFiles.danglingLink(link));
      assertEquals(null, AtomicFiles.danglingLink(link.resolve("m.safetensors")));
      IOException e = assertThrows(IOException.class,
          () -> ModelFiles.save(SafetensorsBytes.small(), link.resolve("m.safetensors")));
      assertFalse(e.getMessage().contains("does not exist"), e.getMessage());
      // nor "no folder to save m.safetensors in": the folder is there, the way to it is closed
      assertEquals(link + ": a folder on the way to it cannot be searched by this user, so m.safetensors cannot be "
          + "saved in it", e.getMessage());
    } finally {
      Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void savingFollowsALinkAndRefusesDevicesSocketsAndReadOnlyFiles() throws IOException {
    Model m = SafetensorsBytes.small();
    // a link: the file it points to is replaced, and the link stays a link
    Path real = Files.writeString(tmp.resolve("real.safetensors"), "an older file");
    Path link = Files.createSymbolicLink(tmp.resolve("link.safetensors"), real);
    ModelFiles.save(m, link);
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(m.weightsSha256(), ModelFiles.load(real).weightsSha256());
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("missing"));
    IOException e = assertThrows(IOException.class, () -> ModelFiles.save(m, dangling));
    assertEquals(dangling + ": is a link to " + tmp.resolve("missing") + ", which does not exist", e.getMessage());
    // a folder on the way that is such a link is named, with where it leads, not as a folder that is missing
    IOException in = assertThrows(IOException.class, () -> ModelFiles.save(m, dangling.resolve("m.safetensors")));
    assertEquals(dangling.toAbsolutePath() + ": no folder to save m.safetensors in (" + dangling.toAbsolutePath()
        + " is a link to " + tmp.resolve("missing") + ", which does not exist)", in.getMessage());
    assertFalse(Files.exists(tmp.resolve("missing")));
    // a loop of links is named as one, not with the system's "Too many levels of symbolic links"
    Path loop = Files.createSymbolicLink(tmp.resolve("loop-a"), tmp.resolve("loop-b"));
    Files.createSymbolicLink(tmp.resolve("loop-b"), loop);
    e = assertThrows(IOException.class, () -> ModelFiles.save(m, loop));
    assertEquals(loop + ": is a loop of links", e.getMessage());
    // a socket (as a device or a pipe) is not replaced by a regular file
    Path socket = tmp.resolve("socket");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(socket));
      e = assertThrows(IOException.class, () -> ModelFiles.save(m, socket));
      assertTrue(e.getMessage().contains("socket: is not a regular file"), e.getMessage());
      assertFalse(Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS));
    }
    // a file where the folder belongs is named as such; it was a NoSuchFileException, "no folder to save"
    Path file = Files.writeString(tmp.resolve("notes.txt"), "a file");
    e = assertThrows(IOException.class, () -> ModelFiles.save(m, file.resolve("m.safetensors")));
    assertEquals(FileSystemException.class, e.getClass());
    assertEquals(file + ": is not a folder, so m.safetensors cannot be saved in it", e.getMessage());
    e = assertThrows(IOException.class, () -> ModelFiles.save(m, Path.of("")));
    assertEquals("'': is not a file name", e.getMessage());
    e = assertThrows(IOException.class, () -> ModelFiles.saveTarget(Path.of("/")));
    assertEquals("/: is a folder; a model is saved to a file", e.getMessage());
    // a read-only file stays, for root too (who may write anything, but the file says it is to be kept)
    Path readOnly = Files.writeString(tmp.resolve("read-only.safetensors"), "keep me");
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
    e = assertThrows(AccessDeniedException.class, () -> ModelFiles.save(m, readOnly));
    assertTrue(e.getMessage().contains("is read-only"), e.getMessage());
    assertEquals("keep me", Files.readString(readOnly));
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    Path f = tmp.resolve("shared.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    var groupReadable = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(f, groupReadable);
    ModelFiles.save(SafetensorsBytes.small().withMetadata(Map.of("note", "second")), f);
    assertEquals(groupReadable, Files.getPosixFilePermissions(f));
    assertEquals("second", ModelFiles.load(f).metadata().get("note"));
  }

  @Test
  void aPrivateFileIsNotReadableByOthersWhileItsReplacementIsWritten() throws IOException {
    Path f = tmp.resolve("private.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    var ownerOnly = PosixFilePermissions.fromString("rw-------");
    Files.setPosixFilePermissions(f, ownerOnly);
    // another user who opens the new weights now keeps reading them after the rename
    assertEquals(List.of("rw-------"), permissionsWhileReplaced(f));
    assertEquals(ownerOnly, Files.getPosixFilePermissions(f));
  }

  /**
   * Replaces {@code f} (in {@code tmp}) with a model of about 800 KB, and returns the distinct
   * permissions of the other files in the folder, the temporary one, seen while it was written.
   */
  private List<String> permissionsWhileReplaced(Path f) throws IOException {
    Model big = Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1);
    List<String> seen = new ArrayList<>();
    ModelFiles.save(big, f, written -> {
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path p : files.filter(p -> !p.equals(f)).toList()) {
          seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    });
    assertFalse(seen.isEmpty(), "the temporary file was seen");
    return seen.stream().distinct().toList();
  }

  @Test
  void aReplacedFileKeepsItsGroup() throws IOException {
    Path f = tmp.resolve("grouped.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    var view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
    GroupPrincipal mine = view.readAttributes().group();
    GroupPrincipal other = null;
    for (String name : new String[] {"daemon", "bin", "sys", "adm", "nogroup", "users"}) {
      try {
        GroupPrincipal g = f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        if (!g.equals(mine)) {
          view.setGroup(g);
          other = g;
          break;
        }
      } catch (IOException notHereOrNotMine) {
        // a group this system lacks, or one this user may not give a file
      }
    }
    Assumptions.assumeTrue(other != null, "this user can give a file no group but its own");
    var groupOnly = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(f, groupOnly);
    ModelFiles.save(SafetensorsBytes.small().withMetadata(Map.of("note", "second")), f);
    // the user's own group did not become the file's readers
    assertEquals(other, Files.getFileAttributeView(f, PosixFileAttributeView.class).readAttributes().group());
    assertEquals(groupOnly, Files.getPosixFilePermissions(f));
  }

  @Test
  void aFileThatRootReplacesKeepsItsOwner() throws IOException {
    Path f = tmp.resolve("theirs.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    var view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
    UserPrincipal mine = view.getOwner();
    UserPrincipal other = null;
    for (String name : new String[] {"nobody", "daemon", "bin"}) {
      try {
        UserPrincipal u = f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
        if (!u.equals(mine)) {
          view.setOwner(u);
          other = u;
          break;
        }
      } catch (IOException notHereOrNotRoot) {
        // a user this system lacks, or a file this user may not give away
      }
    }
    Assumptions.assumeTrue(other != null, "only root may give a file to another user");
    var ownerOnly = PosixFilePermissions.fromString("rw-------");
    Files.setPosixFilePermissions(f, ownerOnly);
    ModelFiles.save(SafetensorsBytes.small().withMetadata(Map.of("note", "second")), f);
    // the rename made it root's, and its owner could neither read it nor save over it
    assertEquals(other, Files.getOwner(f));
    assertEquals(ownerOnly, Files.getPosixFilePermissions(f));
    assertEquals("second", ModelFiles.load(f).metadata().get("note"));
  }

  @Test
  void aGroupThatCannotBeKeptSharesWhatGroupAndOthersBothHad() {
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        AtomicFiles.groupAndOthersShared(PosixFilePermissions.fromString("rw-r-----")));
    assertEquals(PosixFilePermissions.fromString("rw-r--r--"),
        AtomicFiles.groupAndOthersShared(PosixFilePermissions.fromString("rw-rw-r--")));
    // a group kept out of a file others may read: its members, now among the others, still may not
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        AtomicFiles.groupAndOthersShared(PosixFilePermissions.fromString("rw----r--")));
    assertEquals(PosixFilePermissions.fromString("rwx--x--x"),
        AtomicFiles.groupAndOthersShared(PosixFilePermissions.fromString("rwxr-x--x")));
  }

  @Test
  void aReplacementIsWrittenWithItsGroupAndOthersGivenWhatBothHadAndItsOwnerAbleToWrite() throws IOException {
    Path f = tmp.resolve("team.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    var teamWritable = PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(f, teamWritable);
    // the temporary file's group is still the user's own while it is written
    assertEquals(List.of("rw-------"), permissionsWhileReplaced(f));
    assertEquals(teamWritable, Files.getPosixFilePermissions(f));
  }

  @Test
  void temporaryNamesKeepAtMost64BytesOfWholeCharacters() throws IOException {
    assertEquals("a".repeat(64), AtomicFiles.tempPrefix("a".repeat(300)));
    String emoji = "\ud83d\ude00"; // 4 bytes of UTF-8
    assertEquals(emoji.repeat(16), AtomicFiles.tempPrefix(emoji.repeat(60)));
    assertEquals("a".repeat(61), AtomicFiles.tempPrefix("a".repeat(61) + emoji));
    assertEquals("\u00e9".repeat(32), AtomicFiles.tempPrefix("\u00e9".repeat(40)));
    // the first character of each UTF-8 length counts with its own length
    assertEquals("\u0080".repeat(32), AtomicFiles.tempPrefix("\u0080".repeat(40)), "U+0080: 2 bytes");
    assertEquals("\u0800".repeat(21), AtomicFiles.tempPrefix("\u0800".repeat(40)), "U+0800: 3 bytes");
    String first4 = new String(Character.toChars(0x10000));
    assertEquals(first4.repeat(16), AtomicFiles.tempPrefix(first4.repeat(40)), "U+10000: 4 bytes");
    // a target name of 240 bytes in 60 characters: its temporary name fits in 255 bytes too
    Path f = tmp.resolve(emoji.repeat(60));
    ModelFiles.save(SafetensorsBytes.small(), f);
    assertEquals(SafetensorsBytes.small().weightsSha256(), ModelFiles.load(f).weightsSha256());
  }

  @Test
  void aStaleHashInTheModelsMetadataIsRecomputedAndOurOwnKeysRewritten() throws IOException {
    Model m = SafetensorsBytes.small();
    Map<String, String> meta = new HashMap<>(m.metadata());
    meta.put("weights_sha256", "0".repeat(64));
    meta.put("vmlp.head", "squared_error"); // describes nothing: rewritten from the model
    meta.put("note", "kept");
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(m.withMetadata(meta), f);
    Model back = ModelFiles.load(f);
    assertEquals(m.weightsSha256(), back.metadata().get("weights_sha256"));
    assertEquals("softmax", back.metadata().get("vmlp.head"));
    assertEquals(Head.SOFTMAX_CROSS_ENTROPY, back.architecture().head());
    assertEquals("kept", back.metadata().get("note"));
  }

  @Test
  void loadOptionsMustAgreeWithTheFilesArchitecture() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    ModelFiles.save(SafetensorsBytes.small(), f);
    assertEquals(Activation.RELU, ModelFiles.load(f, LoadOptions.defaults().withActivation(Activation.RELU))
        .architecture().activation(0));
    ModelFormatException act = assertThrows(ModelFormatException.class,
        () -> ModelFiles.load(f, LoadOptions.defaults().withActivation(Activation.TANH)));
    assertEquals("vmlp.activations", act.field());
    assertTrue(act.getMessage().endsWith("the file's activations are relu, but tanh was asked for"), act.getMessage());
    ModelFormatException head = assertThrows(ModelFormatException.class,
        () -> ModelFiles.load(f, LoadOptions.defaults().withHead(Head.SQUARED_ERROR)));
    assertEquals("vmlp.head", head.field());
  }

  @Test
  void aFileWithOnlyTensorsLoadsWithTheGivenActivationAndHead() throws IOException {
    Model m = SafetensorsBytes.small();
    byte[] file = SafetensorsBytes.saved(m, tmp);
    ObjectNode h = SafetensorsBytes.header(file);
    h.remove("__metadata__");
    Path f = Files.write(tmp.resolve("bare.safetensors"), SafetensorsBytes.file(h, SafetensorsBytes.data(file)));
    ModelFileRejectionTest.seed(Files.readAllBytes(f));

    ModelFormatException noActivation = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("vmlp.activations", noActivation.field());
    assertTrue(noActivation.getMessage().contains("--activation"), noActivation.getMessage());

    Model bare = ModelFiles.load(f, LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals(m.architecture(), bare.architecture());
    assertEquals(InputScaling.none(), bare.scaling());
    assertEquals(m.weightsSha256(), bare.weightsSha256());
    assertEquals(Map.of(), bare.metadata());
    Model regression = ModelFiles.load(f, LoadOptions.defaults().withActivations(List.of(Activation.TANH))
        .withHead(Head.SQUARED_ERROR));
    assertEquals(Head.SQUARED_ERROR, regression.architecture().head());
    assertEquals(Activation.TANH, regression.architecture().activation(0));

    // The only difference left is the scaling, which the bare file does not carry.
    float[] x = {1, -2, 3, 0.5f};
    float[] scaled = {0.5f, -1, 1.5f, 0.25f};
    float[] p1 = new float[2];
    float[] p2 = new float[2];
    m.predictProbabilities(x, p1);
    bare.predictProbabilities(scaled, p2);
    assertArrayEquals(p1, p2, 0f);
  }

  @Test
  void nonFiniteWeightsLoadWhenAllowed() throws IOException {
    Model m = SafetensorsBytes.small();
    List<LayerWeights> w = new ArrayList<>(m.weights());
    float[] b = w.get(1).bias().clone();
    b[1] = Float.NaN;
    w.set(1, new LayerWeights(2, 3, w.get(1).weights(), b));
    Model bad = Model.ofAllowingNonFinite(m.architecture(), w, m.scaling());
    Path f = tmp.resolve("nan.safetensors");
    ModelFiles.save(bad, f);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("layers.1.bias", e.field());
    assertTrue(e.getMessage().contains("[1] is NaN"), e.getMessage());
    Model kept = ModelFiles.load(f, LoadOptions.defaults().withAllowNonFinite(true));
    assertTrue(Float.isNaN(kept.layer(1).bias()[1]));
    assertEquals(bad.weightsSha256(), kept.weightsSha256());
  }

  private static List<String> iterate(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
