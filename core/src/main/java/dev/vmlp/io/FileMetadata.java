package dev.vmlp.io;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.Model;
import dev.vmlp.internal.text.Provenance;
import dev.vmlp.internal.text.ScalingKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The {@code __metadata__} entries of a model file: writing them from a {@link Model}, and reading
 * and checking them. The keys are listed in {@link ModelFiles}.
 */
final class FileMetadata {
  static final String FORMAT_VERSION = "vmlp.format_version";
  static final String LIBRARY_VERSION = "vmlp.library_version";
  static final String ACTIVATIONS = "vmlp.activations";
  static final String HEAD = "vmlp.head";
  static final String SCALING = ScalingKeys.SCALING;
  static final String SCALING_FACTOR = ScalingKeys.FACTOR;
  static final String SCALING_SHIFT = ScalingKeys.SHIFT;
  static final String SCALING_SCALE = ScalingKeys.SCALE;
  static final String WEIGHTS_SHA256 = Provenance.WEIGHTS_SHA256;

  /** The format version this library writes, and the newest it reads. */
  static final int VERSION = 1;
  static final String PREFIX = "vmlp.";
  private static final Set<String> OWN_KEYS = Set.of(FORMAT_VERSION, LIBRARY_VERSION, ACTIVATIONS, HEAD, SCALING,
      SCALING_FACTOR, SCALING_SHIFT, SCALING_SCALE);

  /**
   * The keys this library writes itself: its {@code vmlp.} keys, the provenance a trainer records, and the
   * {@code dataset} that {@code vmlp train --save} adds. They do not count against the header's limit of
   * {@value Header#MAX_METADATA} entries, so that a model loaded with that many keys of its own can be saved
   * again with these added (the limit counted them, and such a model loaded and then could not be saved).
   */
  static final Set<String> WRITTEN_KEYS;

  static {
    Set<String> keys = new java.util.HashSet<>(OWN_KEYS);
    keys.addAll(Provenance.CHECKED);
    keys.add("kernels");
    keys.add("dataset");
    WRITTEN_KEYS = Set.copyOf(keys);
  }

  private static final Pattern VERSION_NUMBER = Pattern.compile("[1-9][0-9]{0,8}");

  private FileMetadata() {}

  /** What the metadata says about the network, after applying the caller's options. */
  record Decoded(List<Activation> activations, Head head, InputScaling scaling, String weightsSha256) {}

  // ------------------------------------------------------------------ writing

  /**
   * The entries for {@code model}: its architecture, scaling and format keys, then its own metadata
   * with {@code weights_sha256} recomputed.
   *
   * @throws IllegalArgumentException when the model's metadata has a {@code vmlp.} key this library
   *     does not write, or a provenance value that would not read back
   */
  static Map<String, String> encode(Model model) {
    return encode(model.architecture(), model.scaling(), model.metadata(), model.weightsSha256());
  }

  /**
   * The entries for a model of {@code arch} and scaling {@code s} whose metadata is {@code metadata}
   * and whose weights hash to {@code weightsSha256}: what {@link #encode(Model)} gives, and what a
   * loader can compute before it has read the weights.
   *
   * @throws IllegalArgumentException as {@link #encode(Model)}
   */
  static Map<String, String> encode(Architecture arch, InputScaling s, Map<String, String> metadata,
      String weightsSha256) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FORMAT_VERSION, Integer.toString(VERSION));
    m.put(LIBRARY_VERSION, libraryVersion());
    StringJoiner acts = new StringJoiner(",");
    for (int l = 0; l < arch.layerCount() - 1; l++) {
      acts.add(arch.activation(l).id());
    }
    m.put(ACTIVATIONS, acts.toString());
    m.put(HEAD, arch.head().id());
    m.put(SCALING, s.kind().id());
    switch (s.kind()) {
      case NONE -> { }
      case SCALE -> m.put(SCALING_FACTOR, Float.toString(s.factor()));
      case STANDARDIZE -> {
        m.put(SCALING_SHIFT, floats(s.shift()));
        m.put(SCALING_SCALE, floats(s.scale()));
      }
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(PREFIX)) {
        if (!OWN_KEYS.contains(key)) {
          throw new IllegalArgumentException("metadata key '" + key + "' is reserved: keys starting with "
              + PREFIX + " describe the file");
        }
        continue; // rewritten above from the model itself
      }
      if (key.equals(Header.METADATA_KEY)) {
        throw new IllegalArgumentException("metadata key '" + key + "' is reserved by the file format");
      }
      String problem = Provenance.problem(key, e.getValue());
      if (problem != null) {
        throw new IllegalArgumentException("metadata '" + key + "': " + problem);
      }
      if (!key.equals(WEIGHTS_SHA256)) {
        m.put(key, e.getValue()); // the hash goes last, so that a loaded model saves to the bytes it came from
      }
    }
    Provenance.Problem pair = Provenance.epochProblem(m);
    if (pair != null) {
      throw new IllegalArgumentException("metadata '" + pair.key() + "': " + pair.message());
    }
    m.put(WEIGHTS_SHA256, weightsSha256);
    return m;
  }

  private static String floats(float[] v) {
    StringJoiner j = new StringJoiner(",");
    for (float f : v) {
      j.add(Float.toString(f));
    }
    return j.toString();
  }

  /** The version of this library, from the build. */
  static String libraryVersion() {
    return VersionHolder.VERSION;
  }

  private static final class VersionHolder {
    static final String VERSION = read();

    private static String read() {
      try (InputStream in = FileMetadata.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          return "unknown";
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the library version", e);
      }
    }
  }

  // ------------------------------------------------------------------ reading

  /** Whether a file's metadata is not this library's: no {@code vmlp.format_version} (e.g. from PyTorch). */
  static boolean isForeign(Map<String, String> meta) {
    return !meta.containsKey(FORMAT_VERSION);
  }

  /**
   * Reads the architecture, scaling and provenance entries of a file whose network has
   * {@code hidden} hidden layers and {@code inputs} inputs. A file without {@code vmlp.format_version}
   * is a foreign one (e.g. from PyTorch): its activations and head come from {@code options}, its
   * scaling is none, and of its other entries only the provenance keys are checked (so that what
   * loads can be saved again).
   */
  static Decoded decode(Map<String, String> meta, int hidden, int inputs, LoadOptions options, Path file)
      throws ModelFormatException {
    // the entries a save would refuse are refused here, so that a loaded model can be saved again
    if (meta.containsKey(Header.METADATA_KEY)) {
      throw error(file, Header.METADATA_KEY, "is a reserved name, not a metadata key");
    }
    String version = meta.get(FORMAT_VERSION);
    if (isForeign(meta)) {
      for (String key : meta.keySet()) {
        if (key.startsWith(PREFIX)) {
          throw error(file, key, "is present but " + FORMAT_VERSION + " is missing");
        }
      }
      checkProvenance(meta, file);
      return new Decoded(foreignActivations(hidden, options, file), options.head() != null ? options.head()
          : Head.SOFTMAX_CROSS_ENTROPY, InputScaling.none(), meta.get(WEIGHTS_SHA256));
    }
    if (!VERSION_NUMBER.matcher(version).matches()) {
      throw error(file, FORMAT_VERSION, "'" + Header.abbreviate(version) + "' is not a format version");
    }
    if (Integer.parseInt(version) > VERSION) {
      throw error(file, FORMAT_VERSION, "format version " + version + " is newer than this library reads ("
          + VERSION + "); update vmlp");
    }
    for (String key : meta.keySet()) {
      if (key.startsWith(PREFIX) && !OWN_KEYS.contains(key)) {
        throw error(file, key, "is not a key of format version " + VERSION);
      }
    }
    String libraryVersion = require(meta, LIBRARY_VERSION, file);
    if (libraryVersion.isBlank()) {
      throw error(file, LIBRARY_VERSION, "is empty");
    }
    List<Activation> activations = activations(require(meta, ACTIVATIONS, file), hidden, file);
    if (!options.activations().isEmpty() && !expand(options.activations(), hidden, file).equals(activations)) {
      throw error(file, ACTIVATIONS, "the file's activations are " + ids(activations) + ", but "
          + ids(options.activations()) + (options.activations().size() == 1 ? " was" : " were") + " asked for");
    }
    Head head = head(require(meta, HEAD, file), file);
    if (options.head() != null && options.head() != head) {
      throw error(file, HEAD, "the file's head is " + head.id() + ", but " + options.head().id() + " was asked for");
    }
    InputScaling scaling = scaling(meta, inputs, file);
    checkProvenance(meta, file);
    return new Decoded(activations, head, scaling, meta.get(WEIGHTS_SHA256));
  }

  private static void checkProvenance(Map<String, String> meta, Path file) throws ModelFormatException {
    for (String key : Provenance.CHECKED) {
      String value = meta.get(key);
      String problem = value == null ? null : Provenance.problem(key, value);
      if (problem != null) {
        throw error(file, key, problem);
      }
    }
    Provenance.Problem pair = Provenance.epochProblem(meta);
    if (pair != null) {
      throw error(file, pair.key(), pair.message());
    }
  }

  private static List<Activation> foreignActivations(int hidden, LoadOptions options, Path file)
      throws ModelFormatException {
    if (hidden > 0 && options.activations().isEmpty()) {
      throw new ModelFormatException(file, ACTIVATIONS, "the file has no vmlp metadata (" + ACTIVATIONS
          + "), so the activation of its " + hidden + " hidden layer" + (hidden == 1 ? "" : "s")
          + " must be given (LoadOptions.withActivation, or --activation on the command line)");
    }
    return expand(options.activations(), hidden, file);
  }

  /** The caller's activations, one per hidden layer: a single one applies to all. */
  private static List<Activation> expand(List<Activation> given, int hidden, Path file) throws ModelFormatException {
    if (given.size() == 1) {
      return java.util.Collections.nCopies(hidden, given.get(0));
    }
    // checked for a network without hidden layers too, which took any number given (2 for none, not 1)
    if (given.size() != hidden) {
      throw new ModelFormatException(file, "activations", "activations: the network has " + hidden + " hidden layer"
          + (hidden == 1 ? "" : "s") + ", but " + given.size() + " activations were given (" + ids(given) + ")");
    }
    return given;
  }

  private static List<Activation> activations(String value, int hidden, Path file) throws ModelFormatException {
    List<Activation> list = new ArrayList<>();
    if (!value.isEmpty()) {
      // counted before splitting: a hostile value may hold millions of commas
      long count = 1 + value.chars().filter(c -> c == ',').count();
      if (count != hidden) {
        throw error(file, ACTIVATIONS, "names " + count + " activations, but the tensors make "
            + hidden + " hidden layers");
      }
      String[] parts = value.split(",", -1);
      for (int l = 0; l < parts.length; l++) {
        Activation a = activationById(parts[l]);
        if (a == null) {
          throw error(file, ACTIVATIONS, "unknown activation '" + Header.abbreviate(parts[l]) + "' for layer " + l
              + "; expected identity, sigmoid, tanh, relu or leaky_relu");
        }
        list.add(a);
      }
    } else if (hidden != 0) {
      throw error(file, ACTIVATIONS, "is empty, but the tensors make " + hidden + " hidden layers");
    }
    return list;
  }

  private static Activation activationById(String id) {
    for (Activation a : Activation.values()) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    return null;
  }

  private static Head head(String id, Path file) throws ModelFormatException {
    for (Head h : Head.values()) {
      if (h.id().equals(id)) {
        return h;
      }
    }
    throw error(file, HEAD, "unknown head '" + Header.abbreviate(id) + "'; expected softmax or squared_error");
  }

  private static InputScaling scaling(Map<String, String> meta, int inputs, Path file) throws ModelFormatException {
    String kindName = require(meta, SCALING, file);
    InputScaling.Kind kind;
    try {
      kind = InputScaling.Kind.parse(kindName);
    } catch (IllegalArgumentException e) {
      throw error(file, SCALING, "unknown input scaling '" + Header.abbreviate(kindName)
          + "'; expected none, scale or standardize");
    }
    List<String> needed = switch (kind) {
      case NONE -> List.of();
      case SCALE -> List.of(SCALING_FACTOR);
      case STANDARDIZE -> List.of(SCALING_SHIFT, SCALING_SCALE);
    };
    for (String key : List.of(SCALING_FACTOR, SCALING_SHIFT, SCALING_SCALE)) {
      if (meta.containsKey(key) && !needed.contains(key)) {
        throw error(file, key, "is present, but " + SCALING + " is " + kind.id());
      }
    }
    try {
      return switch (kind) {
        case NONE -> InputScaling.none();
        case SCALE -> InputScaling.multiplyBy(parseFloat(require(meta, SCALING_FACTOR, file), SCALING_FACTOR, file));
        case STANDARDIZE -> {
          float[] shift = parseFloats(require(meta, SCALING_SHIFT, file), inputs, SCALING_SHIFT, file);
          float[] scale = parseFloats(require(meta, SCALING_SCALE, file), inputs, SCALING_SCALE, file);
          yield InputScaling.perFeature(shift, scale);
        }
      };
    } catch (IllegalArgumentException e) {
      throw error(file, kind == InputScaling.Kind.SCALE ? SCALING_FACTOR : SCALING_SCALE, e.getMessage());
    }
  }

  private static float parseFloat(String s, String key, Path file) throws ModelFormatException {
    String problem = Provenance.decimalProblem(s);
    if (problem != null) {
      throw error(file, key, problem);
    }
    return Float.parseFloat(s);
  }

  /** Exactly {@code n} comma-separated decimal numbers. */
  private static float[] parseFloats(String s, int n, String key, Path file) throws ModelFormatException {
    float[] v = new float[n];
    int count = 0;
    int start = 0;
    while (start <= s.length()) {
      int comma = s.indexOf(',', start);
      int end = comma < 0 ? s.length() : comma;
      if (count == n) {
        throw error(file, key, "has more than the " + n + " values the network's inputs need");
      }
      String part = s.substring(start, end);
      String problem = Provenance.decimalProblem(part);
      if (problem != null) {
        throw error(file, key, "value " + count + ": " + problem);
      }
      v[count++] = Float.parseFloat(part);
      start = end + 1;
    }
    if (count != n) {
      throw error(file, key, "has " + count + " values, the network has " + n + " inputs");
    }
    return v;
  }

  private static String require(Map<String, String> meta, String key, Path file) throws ModelFormatException {
    String v = meta.get(key);
    if (v == null) {
      throw error(file, key, "is missing");
    }
    return v;
  }

  private static String ids(List<Activation> list) {
    StringJoiner j = new StringJoiner(",");
    for (Activation a : list) {
      j.add(a.id());
    }
    return j.toString();
  }

  static ModelFormatException error(Path file, String key, String problem) {
    return new ModelFormatException(file, key, "metadata '" + Header.abbreviate(key) + "': " + problem);
  }
}
