package dev.vmlp.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import dev.vmlp.internal.hash.FloatSha256;
import dev.vmlp.internal.io.AtomicFiles;
import dev.vmlp.internal.kernel.Layout;
import dev.vmlp.internal.text.Excerpt;
import dev.vmlp.internal.text.Provenance;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Saves and loads {@link Model}s as safetensors files, the format PyTorch users exchange weights in.
 *
 * <h2>Layout</h2>
 * An 8-byte little-endian unsigned header length {@code n}, a UTF-8 JSON header of {@code n} bytes,
 * then the raw little-endian tensor data. Layer {@code i} (0-based, the output layer last) is two
 * {@code F32} tensors: {@code layers.{i}.weight} of shape {@code [out, in]} (row-major, the layout of
 * PyTorch's {@code nn.Linear.weight}) and {@code layers.{i}.bias} of shape {@code [out]}. A file holds
 * exactly these tensors, for {@code i = 0 .. L-1} without gaps. This library writes them in layer
 * order and pads the header with trailing spaces so the data starts at a multiple of 8 bytes, as the
 * safetensors writer does.
 *
 * <h2>Metadata</h2>
 * The header's {@code __metadata__} maps strings to strings:
 * <ul>
 *   <li>{@code vmlp.format_version}: {@code 1}. Its presence marks a file written by this library;
 *       every other {@code vmlp.} key is then required (except the scaling values that the scaling
 *       kind does not use) and no other {@code vmlp.} key is allowed.
 *   <li>{@code vmlp.library_version}: the version of the library that wrote the file.
 *   <li>{@code vmlp.activations}: the hidden layers' activations, comma-separated
 *       ({@code relu,tanh}; empty without hidden layers), by {@link Activation#id()}.
 *   <li>{@code vmlp.head}: {@code softmax} or {@code squared_error} ({@link Head#id()}).
 *   <li>{@code vmlp.scaling}: {@code none}, {@code scale} or {@code standardize}; with
 *       {@code vmlp.scaling.factor} (the factor {@code x' = x * factor}) for {@code scale}, and
 *       {@code vmlp.scaling.shift} and {@code vmlp.scaling.scale} (one number per input,
 *       comma-separated) for {@code standardize}. Numbers are written by {@link Float#toString}, which
 *       reads back to the same bits. They live in the metadata rather than in extra tensors so that
 *       the tensors are exactly the network's parameters: a PyTorch module with a {@code layers}
 *       {@code ModuleList} of {@code nn.Linear} loads a file with {@code strict=True}.
 *   <li>Provenance, from {@link Model#metadata()} (as {@link dev.vmlp.Trainer#snapshot()} records
 *       it): {@code seed}, {@code epochs}, {@code epoch_samples} (the samples of the next epoch
 *       trained already, after an interrupt or a diverged loss stopped it part-way; absent when none),
 *       {@code epoch_size} (the size of that epoch's training set; the two come together,
 *       {@code epoch_samples} below {@code epoch_size}),
 *       {@code online_samples} (samples trained
 *       one at a time by {@code Trainer.trainSample}; absent when none), {@code learning_rate},
 *       {@code shuffle} ({@code true} or {@code false}), {@code threads} (a positive count; absent
 *       from a snapshot taken before the first pass of a trainer whose data decides it, under
 *       {@code Trainer.AUTO_THREADS}), {@code kernels} and
 *       {@code weights_sha256} ({@link Model#weightsSha256()}, recomputed on save). When present
 *       in any file, each but the free-form {@code kernels} must parse (its numbers as this library
 *       writes them: decimal, and, as in JSON, without a leading zero: {@code 007} is refused), and the
 *       weights as stored in the file must hash to {@code weights_sha256}. Other keys are kept as they are. The
 *       {@code vmlp.} keys are written first, in a fixed order, then the others sorted
 *       ({@code weights_sha256} always last), so the same model gives the same bytes in every run,
 *       and a loaded model saves to the bytes it was loaded from.
 * </ul>
 * The key {@code format}, which Hugging Face tools use for the framework that wrote a file
 * ({@code pt}), is not written, and is kept like any other key when read.
 *
 * <p>A file without {@code vmlp.format_version}, such as a PyTorch export, loads when the caller
 * gives the hidden activation ({@link LoadOptions#withActivation}); its head defaults to softmax and
 * its input scaling is none. Its layers may be named as PyTorch's {@code state_dict} names those of an
 * {@code nn.Sequential}: {@code {i}.weight} and {@code {i}.bias} after one module path shared by all
 * (none, or e.g. {@code layers.}), with indices that may skip the modules without parameters (the
 * activations), taken in numeric order; or, for a module whose layers are attributes
 * ({@code self.fc1 = nn.Linear(...)}), {@code {name}.weight} and {@code {name}.bias}, taken in the one
 * order in which each layer takes the outputs of the one before (a file whose shapes allow another order,
 * or none, is refused naming the layers; see {@code ChainOrder}); a bare {@code nn.Linear}'s
 * {@code weight} and {@code bias} are a network of one layer. A layer may lack its bias
 * ({@code nn.Linear(bias=False)}): it then adds zeros. Its tensors may be {@code F16} or {@code BF16} (a
 * model saved after {@code .half()} or {@code .bfloat16()}) as well as {@code F32}, alone or mixed: each
 * value widens to the float of the same value, so the model predicts as PyTorch's does after
 * {@code .float()}; saved again, the file holds {@code F32}.
 *
 * <h2>Loading</h2>
 * Everything is checked before anything is trusted, as the safetensors reference implementation does
 * (see {@code Header}): the header length against a cap of 100,000,000 bytes and the file size;
 * UTF-8; JSON; unique names; {@code F32} only ({@code F16} and {@code BF16} too without vmlp metadata);
 * shapes whose counts do not overflow; offsets that match the shapes and tile the data section exactly,
 * with no gap, overlap or trailing byte; no string with half a surrogate pair. Then the tensor
 * names and shapes must form a network ({@code layers.{i+1}.weight} takes {@code layers.{i}}'s
 * outputs), the metadata must parse, the header a save of the model would write must be within the cap
 * with room for the provenance and {@code dataset} entries that training writes (so that every model
 * that loads can be saved again, also after further training, and loads again; it can be longer than
 * the file's, see {@code headerExcess}), and the weights must be finite unless
 * {@link LoadOptions#allowNonFinite()}.
 * Nothing is allocated from a size the file has not been checked to hold, and the model may take at
 * most 4 times the file's weights' bytes as {@code F32} plus 64 MiB in memory (8 times the bytes of
 * {@code F16} or {@code BF16} weights; the padded layout stores a layer of few inputs in up to 64 times
 * its size). Each problem is a {@link ModelFormatException} naming the tensor,
 * key or section.
 *
 * <h2>Saving</h2>
 * Atomic: the file is written under a temporary name in the target's folder (a dot, at most 64
 * bytes of the target's name, a random part and {@code .tmp}), forced to the disk, and
 * renamed over the target; the folder is then forced too where the platform allows. A failed or
 * interrupted save leaves any previous file under the target name as it was.
 */
public final class ModelFiles {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** A layer tensor of this library's files: the module path {@code layers.}, an index, the kind. */
  private static final String LAYERS_PATH = "layers.";
  private static final int CHUNK = 1 << 16;
  /** A loaded model may take this many times its weights' bytes in the file, plus the allowance. */
  static final long MEMORY_FACTOR = 4;
  static final long MEMORY_ALLOWANCE = 64L << 20;

  private ModelFiles() {}

  // ------------------------------------------------------------------ saving

  /**
   * Writes {@code model} to {@code file} atomically, replacing any file there.
   *
   * @throws IllegalArgumentException when the model's metadata has a reserved key ({@code vmlp.*}
   *     other than those this class writes), a provenance value that would not load, or more than
   *     {@code load} accepts (over 10,000 entries besides the keys the library writes, a key over 65,536
   *     characters, a value over 33,554,432, half a surrogate pair, a header over 100,000,000 bytes with
   *     room for the entries that training writes); nothing is written then
   * @throws IOException when {@link #saveTarget} refuses {@code file}, or writing fails
   */
  public static void save(Model model, Path file) throws IOException {
    save(model, file, bytes -> { });
  }

  /** Called after each chunk written to the temporary file; tests use it to interrupt a save. */
  interface WriteHook {
    void wrote(long bytes) throws IOException;
  }

  static void save(Model model, Path file, WriteHook hook) throws IOException {
    Map<String, String> metadata = FileMetadata.encode(model);
    long json = jsonLength(metadata, model.architecture());
    long room = trainingRoom(model.metadata());
    long over = headerExcess(json, room);
    if (over > 0) { // the loader's rule (a file over it would not load)
      throw new IllegalArgumentException("the model's metadata makes a header too long by " + over
          + (over == 1 ? " byte" : " bytes") + ": a model file may have " + Header.MAX_BYTES + " bytes of header, "
          + "and a model that loads keeps room in them for " + ROOM_FOR + " (" + room + " bytes here)");
    }
    byte[] header = header(metadata, model.architecture(), json);
    checkLoadable(header);
    List<LayerWeights> layers = model.weights();
    Path target = saveTarget(file);
    AtomicFiles.replace(file, target, ch -> {
      ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      buf.putLong(header.length);
      long written = 0;
      int h = 0;
      while (h < header.length) {
        int n = Math.min(buf.remaining(), header.length - h);
        buf.put(header, h, n);
        h += n;
        written += flushIfFull(ch, buf, hook, written);
      }
      for (LayerWeights lw : layers) {
        for (float[] values : List.of(lw.weights(), lw.bias())) {
          for (float v : values) {
            written += flushIfFull(ch, buf, hook, written);
            buf.putFloat(v);
          }
        }
      }
      buf.flip();
      written += buf.remaining();
      writeFully(ch, buf);
      hook.wrote(written);
    });
  }

  /**
   * Checks, without writing anything, that a model can be saved to {@code file}: its folder exists
   * and may be written, and {@code file} is missing, a regular file that may be written, or a link to
   * one (the save then replaces the file the link points to, and the link stays). Devices, pipes,
   * folders and read-only files are refused, and so is another user's file in a folder with the sticky
   * bit (as {@code /tmp} has), which the rename could not replace. The command line calls it before
   * training, so that a bad {@code --save} fails at once rather than after the training, and then makes and
   * removes a file where the save would make its own ({@code AtomicFiles.checkCreatable}), for the folders
   * whose permissions say yes but which take no new file ({@code /proc} as root).
   *
   * @return the file a save writes: {@code file} as an absolute path, or the real path of the file a
   *     link at {@code file} points to
   * @throws IOException naming {@code file} and what is wrong
   */
  public static Path saveTarget(Path file) throws IOException {
    if (file.toString().isEmpty()) {
      throw new FileSystemException("''", null, "is not a file name");
    }
    Path target = AtomicFiles.linkTarget(file);
    if (Files.isDirectory(target)) {
      throw new FileSystemException(file.toString(), null, "is a folder; a model is saved to a file");
    }
    Path dir = target.getParent();
    if (dir == null) {
      throw new FileSystemException(file.toString(), null, "is not a file name");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileSystemException(file.toString(), null,
            "is not a regular file (a device, pipe or socket); a model is saved to a file");
      }
      if (readOnly(target)) {
        throw new AccessDeniedException(file.toString(), null, "is read-only, so it is not replaced");
      }
      if (stickyAndNotOurs(target, currentUid())) {
        throw new AccessDeniedException(file.toString(), null, "belongs to another user in a folder with the "
            + "sticky bit (as /tmp has), so it cannot be replaced");
      }
    }
    if (!Files.isDirectory(dir)) {
      if (AtomicFiles.behindAClosedFolder(dir)) {
        // isDirectory says false also when a folder on the way is closed to this user: the folder may be there
        throw new AccessDeniedException(dir.toString(), null, "a folder on the way to it cannot be searched by "
            + "this user, so " + target.getFileName() + " cannot be saved in it");
      }
      if (Files.exists(dir)) {
        // a file there was called missing: "NoSuchFileException: f.txt: no folder to save m.safetensors in"
        throw new FileSystemException(dir.toString(), null, "is not a folder, so " + target.getFileName()
            + " cannot be saved in it");
      }
      Path link = AtomicFiles.danglingLink(dir);
      throw new NoSuchFileException(dir.toString(), null, "no folder to save " + target.getFileName() + " in"
          + (link == null ? "" : " (" + link + " is " + AtomicFiles.danglingText(link) + ")"));
    }
    if (!Files.isWritable(dir)) {
      throw new AccessDeniedException(dir.toString(), null, "this folder cannot be written, so "
          + target.getFileName() + " cannot be saved in it");
    }
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      try {
        target.getFileSystem().provider().checkAccess(target); // exists() says false for any failure
      } catch (NoSuchFileException e) {
        // as it should be: the save creates it
      } catch (FileSystemException e) {
        // a name longer than the file system takes ("File name too long") would fail only at the rename
        throw new FileSystemException(file.toString(), null, "cannot be created ("
            + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")");
      }
    }
    return target;
  }


  /**
   * Whether {@code file} may not be written, or has no write permission for anyone: root may write any
   * file, but a file made read-only (e.g. {@code chmod 444}) is one its owner wants kept.
   */
  private static boolean readOnly(Path file) throws IOException {
    if (!Files.isWritable(file)) {
      return true;
    }
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    var perms = Files.getPosixFilePermissions(file);
    return !perms.contains(PosixFilePermission.OWNER_WRITE) && !perms.contains(PosixFilePermission.GROUP_WRITE)
        && !perms.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /**
   * Whether a process of user {@code uid} may not rename a file over {@code file}: its folder has the
   * sticky bit, and neither the folder nor the file is the user's (root may). False where the file
   * system has no such attributes or {@code uid} is -1 (unknown).
   */
  static boolean stickyAndNotOurs(Path file, int uid) {
    if (uid <= 0) {
      return false;
    }
    try {
      Path dir = file.getParent();
      if (((Integer) Files.getAttribute(dir, "unix:mode") & 01000) == 0) {
        return false;
      }
      return uid != (Integer) Files.getAttribute(dir, "unix:uid")
          && uid != (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** This process's user id, from the owner of {@code /proc/self} (Linux), or -1. */
  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** Writes out a full buffer and returns how many bytes it wrote (0 when not full). */
  private static int flushIfFull(FileChannel ch, ByteBuffer buf, WriteHook hook, long before) throws IOException {
    if (buf.hasRemaining()) {
      return 0;
    }
    buf.flip();
    int n = buf.remaining();
    writeFully(ch, buf);
    buf.clear();
    hook.wrote(before + n);
    return n;
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /**
   * Refuses, before anything is written, a header that {@link #load} would refuse for its metadata: past
   * the parser's limits (entries, name length, unpaired surrogates). {@link #header} refuses a header
   * longer than a file may hold.
   */
  private static void checkLoadable(byte[] header) {
    try {
      Header.parse(utf8(ByteBuffer.wrap(header), null), null);
    } catch (ModelFormatException e) {
      throw new IllegalArgumentException("the model's metadata would not load: " + e.getMessage(), e);
    }
  }

  /**
   * The JSON header of a network of {@code arch}, padded with spaces to a multiple of 8 bytes, written
   * into an array of that length (a growing buffer and its final copy took more than twice the header's
   * size). {@code json} is its length unpadded, counted by {@link #jsonLength} and checked against the cap
   * ({@link #headerExcess}) before anything is built.
   */
  private static byte[] header(Map<String, String> metadata, Architecture arch, long json) throws IOException {
    byte[] header = new byte[(int) padded(json)];
    Arrays.fill(header, (byte) ' ');
    writeJson(metadata, arch, new OutputStream() {
      private int pos;

      @Override
      public void write(int b) {
        header[pos++] = (byte) b;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        System.arraycopy(b, off, header, pos, len);
        pos += len;
      }
    });
    return header;
  }

  /** The length of {@link #header}'s JSON, without the padding, counted as it is written and not kept. */
  private static long jsonLength(Map<String, String> metadata, Architecture arch) throws IOException {
    Counter counter = new Counter();
    writeJson(metadata, arch, counter);
    return counter.bytes;
  }

  /** A stream that counts what is written to it and keeps nothing. */
  private static final class Counter extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  /** {@code json} bytes and the spaces after them to a multiple of 8. */
  private static long padded(long json) {
    return (json + 7) / 8 * 8;
  }

  /** The header's JSON, unpadded: the metadata, then the tensors of every layer in order. */
  private static void writeJson(Map<String, String> metadata, Architecture arch, OutputStream out)
      throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart(Header.METADATA_KEY);
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      long offset = 0;
      for (int l = 0; l < arch.layerCount(); l++) {
        int in = arch.layerInputs(l);
        int units = arch.layerUnits(l);
        offset = tensorEntry(g, "layers." + l + ".weight", new long[] {units, in}, offset);
        offset = tensorEntry(g, "layers." + l + ".bias", new long[] {units}, offset);
      }
      g.writeEndObject();
    }
  }

  private static long tensorEntry(JsonGenerator g, String name, long[] shape, long offset) throws IOException {
    long bytes = Float.BYTES;
    for (long d : shape) {
      bytes *= d;
    }
    g.writeObjectFieldStart(name);
    g.writeStringField("dtype", Header.F32);
    g.writeArrayFieldStart("shape");
    for (long d : shape) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("data_offsets");
    g.writeNumber(offset);
    g.writeNumber(offset + bytes);
    g.writeEndArray();
    g.writeEndObject();
    return offset + bytes;
  }

  // ------------------------------------------------------------------ loading

  /** Loads a model written by this library. @see #load(Path, LoadOptions) */
  public static Model load(Path file) throws IOException {
    return load(file, LoadOptions.defaults());
  }

  /**
   * Loads a model file, checking all of it first (see the class description).
   *
   * @throws ModelFormatException naming the tensor, metadata key or section that is wrong, including
   *     when {@code options} disagree with the file's metadata, a file without metadata needs an
   *     activation that {@code options} do not give, or saving the model would write a header over the cap
   *     once room is kept for what training it further writes
   * @throws IOException when the file cannot be read, or is a folder, a device, a pipe or a socket
   */
  public static Model load(Path file, LoadOptions options) throws IOException {
    Objects.requireNonNull(file, "file"); // else an NPE naming Files' own parameter "path"
    Objects.requireNonNull(options, "options"); // else found after the header, or a bad file blamed for it
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a folder, not a model file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // opening a pipe would wait for a writer; a model file is read at chosen positions anyway
      throw new FileSystemException(file.toString(), null,
          "is not a regular file (a device, pipe or socket); a model is loaded from a file");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      return read(new Source() {
        @Override
        public long size() {
          return size;
        }

        @Override
        public void read(long pos, ByteBuffer dst) throws IOException {
          while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
              throw new EOFException();
            }
            pos += n;
          }
        }
      }, file, options);
    }
  }

  /** Reads a model from the bytes of a file; {@code name} (may be null) names it in errors. */
  static Model read(byte[] bytes, Path name, LoadOptions options) throws ModelFormatException {
    try {
      return read(new Source() {
        @Override
        public long size() {
          return bytes.length;
        }

        @Override
        public void read(long pos, ByteBuffer dst) throws EOFException {
          int n = dst.remaining();
          if (pos > bytes.length - n) {
            throw new EOFException();
          }
          dst.put(bytes, (int) pos, n);
        }
      }, name, options);
    } catch (ModelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("in-memory reads do not fail", e);
    }
  }

  /** Random access to the bytes of a file. */
  interface Source {
    long size();

    /**
     * Fills {@code dst} from byte {@code pos}.
     *
     * @throws EOFException when the source ends first
     */
    void read(long pos, ByteBuffer dst) throws IOException;
  }

  private static Model read(Source src, Path file, LoadOptions options) throws IOException {
    long size = src.size();
    if (size < 8) {
      throw new ModelFormatException(file, "header length", "header length: the file has " + size
          + " bytes; a model file starts with an 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readAt(src, 0, lenBuf, file, "header length");
    long n = lenBuf.flip().getLong();
    if (Long.compareUnsigned(n, Header.MAX_BYTES) > 0) {
      throw new ModelFormatException(file, "header length", "header length: " + Long.toUnsignedString(n)
          + " bytes exceeds the limit of " + Header.MAX_BYTES + " (a safetensors file starts with its header's length)"
          + lookalike(start(src, lenBuf.array(), file)));
    }
    if (n > size - 8) {
      throw new ModelFormatException(file, "header length", "header length: " + n
          + " bytes, but only " + (size - 8) + " bytes follow it" + lookalike(start(src, lenBuf.array(), file)));
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
    readAt(src, 8, headerBytes, file, "header");
    Header header = Header.parse(utf8(headerBytes.flip(), file), file);
    long dataStart = 8 + n;
    header.checkOffsets(size - dataStart, file);
    boolean foreign = FileMetadata.isForeign(header.metadata);
    if (!foreign) {
      checkOwnDtypes(header, file);
    }

    Header.Tensor[][] layers = layerTensors(header, file, foreign);
    int[] sizes = sizes(layers, file);
    checkMemory(layers, sizes, file);
    int hidden = layers.length - 1;
    FileMetadata.Decoded meta = FileMetadata.decode(header.metadata, hidden, sizes[0], options, file);
    Architecture arch = architecture(sizes, meta, layers, file);
    checkSavable(header.metadata, arch, meta.scaling(), n, file);

    List<LayerWeights> weights = new ArrayList<>(layers.length);
    for (int l = 0; l < layers.length; l++) {
      float[] w = readFloats(src, dataStart, layers[l][0], file);
      // nn.Linear(bias=False) saves no bias: its layer adds zeros
      float[] b = layers[l][1] == null ? new float[sizes[l + 1]] : readFloats(src, dataStart, layers[l][1], file);
      weights.add(new LayerWeights(sizes[l + 1], sizes[l], w, b));
    }
    if (meta.weightsSha256() != null) {
      // over the values as stored: the model turns a -0 bias into +0, which a file may still hold; and before
      // the finiteness check, so that a damaged file is called damaged rather than holding a NaN to keep
      String hash = FloatSha256.ofLayers(weights);
      if (!meta.weightsSha256().equals(hash)) {
        throw FileMetadata.error(file, FileMetadata.WEIGHTS_SHA256, "the file says " + meta.weightsSha256()
            + ", but its weights hash to " + hash + " (the file was changed or damaged)");
      }
    }
    if (!options.allowNonFinite()) {
      for (int l = 0; l < layers.length; l++) {
        checkFinite(layers[l][0], weights.get(l).weights(), sizes[l], file);
        if (layers[l][1] != null) {
          checkFinite(layers[l][1], weights.get(l).bias(), 0, file);
        }
      }
    }
    Model model = options.allowNonFinite()
        ? Model.ofAllowingNonFinite(arch, weights, meta.scaling())
        : Model.of(arch, weights, meta.scaling());
    model = model.withMetadata(header.metadata);
    return model;
  }

  /** The advice that torch.save's files get: where their weights can be saved as safetensors. */
  private static final String SAVE_FILE = ": save the weights with safetensors.torch.save_file(model.state_dict(), "
      + "PATH), and load that file";

  /** The file's first 8 bytes ({@code length}), and the 9th where it has one, for {@link #lookalike}. */
  private static byte[] start(Source src, byte[] length, Path file) throws IOException {
    if (src.size() < 9) {
      return length;
    }
    byte[] first = Arrays.copyOf(length, 9);
    ByteBuffer ninth = ByteBuffer.wrap(first, 8, 1);
    readAt(src, 8, ninth, file, "header");
    return first;
  }

  /**
   * What a file whose header length is wrong starts like, when it is a format that users mistake for a
   * model file ("; it starts as ..."), or "". Only asked once the length failed, and never where a
   * <code>'{'</code> follows the length, as a safetensors header does: such a file is one cut short, and a
   * header of 640 bytes starts with the bytes of a pickle, one of 559,903 with those a gzip stream may.
   */
  static String lookalike(byte[] first) {
    if (first.length > 8 && first[8] == '{') {
      return "";
    }
    int b0 = first[0] & 0xFF;
    int b1 = first[1] & 0xFF;
    if (b0 == 'P' && b1 == 'K' && first[2] == 3 && first[3] == 4) {
      return "; it starts as a zip archive does, such as the .pt or .pth file torch.save writes" + SAVE_FILE;
    }
    if (b0 == 0x80 && b1 >= 2 && b1 <= 5) {
      return "; it starts as a Python pickle does, such as a file of torch.save before PyTorch 1.6" + SAVE_FILE;
    }
    if (b0 == 0x1F && b1 == 0x8B) {
      return "; it starts as gzip data does: decompress it first";
    }
    if (b0 == 0x89 && b1 == 'H' && first[2] == 'D' && first[3] == 'F') {
      return "; it starts as an HDF5 file does, such as a Keras .h5 model, which this library does not read";
    }
    return "";
  }

  /**
   * Refuses a file whose model a save could not write back, before its weights are read: the header a
   * save writes may be longer than the file's (it adds the {@code vmlp.} keys and {@code weights_sha256}
   * a foreign file lacks, writes this library's version, names the tensors {@code layers.{i}}, writes
   * scaling numbers by {@link Float#toString}), and training may add to it; see {@link #headerExcess}.
   */
  private static void checkSavable(Map<String, String> metadata, Architecture arch, InputScaling scaling,
      long fileHeader, Path file) throws IOException {
    long json;
    try {
      json = jsonLength(FileMetadata.encode(arch, scaling, metadata, STAND_IN_HASH), arch);
    } catch (IllegalArgumentException e) {
      // decode refuses what encode would: a bug if reached, reported as the file's problem all the same
      throw new ModelFormatException(file, "header", "header: the model would not save: "
          + Excerpt.of(e.getMessage(), 400), e);
    }
    long room = trainingRoom(metadata);
    long over = headerExcess(json, room);
    if (over > 0) {
      throw new ModelFormatException(file, "header", "header: " + fileHeader + " bytes, but saving the model "
          + "again would write " + json + " (this library's metadata keys and tensor names, numbers as it writes "
          + "them), and training it further may add " + room + " (" + ROOM_FOR + "), over the limit of "
          + Header.MAX_BYTES + "; a model that loads must save, so its metadata would have to be " + over
          + (over == 1 ? " byte" : " bytes") + " shorter");
    }
  }

  /** Of the length of a {@code weights_sha256} value: headers are counted before the weights are hashed. */
  private static final String STAND_IN_HASH = "0".repeat(64);

  private static final String ROOM_FOR = "the longest provenance a trainer writes and data name vmlp train records";

  /**
   * For each entry that training writes anew, a value as long as any it writes: the trainer's provenance
   * and {@code kernels}, and the {@code dataset} that {@code vmlp train --save} records (a file or folder
   * name, or a path; 4,096 control characters, six bytes each in JSON, bound it). Only the lengths count.
   */
  private static final Map<String, String> LONGEST_WRITTEN = Map.of(
      Provenance.SEED, Long.toString(Long.MIN_VALUE),
      Provenance.EPOCHS, Integer.toString(Integer.MAX_VALUE),
      Provenance.EPOCH_SAMPLES, Integer.toString(Integer.MAX_VALUE),
      Provenance.EPOCH_SIZE, Integer.toString(Integer.MAX_VALUE),
      Provenance.ONLINE_SAMPLES, Long.toString(Long.MAX_VALUE),
      Provenance.LEARNING_RATE, "-1.23456789E-38", // Float.toString writes at most 9 digits
      Provenance.SHUFFLE, "false",
      Provenance.THREADS, Integer.toString(Integer.MAX_VALUE),
      "kernels", "x".repeat(64),
      "dataset", "\u0001".repeat(4096));

  /**
   * By how many bytes a header is too long, or 0 or less when it is not: the JSON a save writes
   * ({@code json}, unpadded), plus the {@link #trainingRoom} its metadata leaves ({@code room}), must be
   * within {@link Header#MAX_BYTES}. A load and a save apply the same rule, so that a model that loads
   * can be saved, also after further training, and what a save writes loads: a trainer keeps the other
   * entries and writes those of {@link #LONGEST_WRITTEN} no longer than there, so the header it saves,
   * plus its own room, is never longer than the one it started from plus that one's room.
   */
  private static long headerExcess(long json, long room) {
    return json + room - Header.MAX_BYTES; // the cap is a multiple of 8: the padding never passes it alone
  }

  /**
   * How many bytes training may add to the header of a model with this metadata: for each entry of
   * {@link #LONGEST_WRITTEN}, how much longer its longest value is than the entry there (all of it where
   * there is none).
   */
  static long trainingRoom(Map<String, String> metadata) throws IOException {
    long room = 0;
    for (Map.Entry<String, String> e : LONGEST_WRITTEN.entrySet()) {
      String present = metadata.get(e.getKey());
      long now = present == null ? 0 : entryLength(e.getKey(), present);
      room += Math.max(0, entryLength(e.getKey(), e.getValue()) - now);
    }
    return room;
  }

  /** The bytes an entry takes in the header's metadata object: its key and value in JSON, and a comma. */
  private static long entryLength(String key, String value) throws IOException {
    Counter counter = new Counter();
    try (JsonGenerator g = JSON.createGenerator(counter, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField(key, value);
      g.writeEndObject();
    }
    return counter.bytes - 2 + 1; // without the braces, with the comma
  }

  /**
   * The header's text, read from its bytes: they are checked to be UTF-8 through a small buffer first,
   * and the parser then decodes them as it goes, so that no copy of the whole text is made (a header
   * may be 100 MB, and the parsed names and values are kept besides).
   */
  private static Reader utf8(ByteBuffer bytes, Path file) throws ModelFormatException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = bytes.duplicate();
    CharBuffer scratch = CharBuffer.allocate(8192);
    CoderResult r;
    do {
      scratch.clear();
      r = decoder.decode(in, scratch, true);
    } while (r.isOverflow());
    if (r.isError()) {
      throw new ModelFormatException(file, "header", "header: not valid UTF-8 (at byte " + (8 + in.position())
          + " of the file)");
    }
    return new InputStreamReader(new ByteArrayInputStream(bytes.array(), bytes.position(), bytes.remaining()),
        StandardCharsets.UTF_8);
  }

  private static void readAt(Source src, long pos, ByteBuffer dst, Path file, String field) throws IOException {
    try {
      src.read(pos, dst);
    } catch (EOFException e) {
      throw new ModelFormatException(file, field, field + ": the file ended early (it was " + src.size()
          + " bytes when opened)", e);
    }
  }

  /**
   * Refuses a tensor of this library's file that is not {@code F32}: it writes nothing else, and a file
   * converted to 16 bits by another tool no longer holds the weights its {@code weights_sha256} names.
   */
  private static void checkOwnDtypes(Header header, Path file) throws ModelFormatException {
    for (Header.Tensor t : header.tensors) {
      if (!t.dtype().equals(Header.F32)) {
        throw new ModelFormatException(file, t.name(), "tensor '" + Header.abbreviate(t.name()) + "': dtype "
            + t.dtype() + " in a file of this library (" + FileMetadata.FORMAT_VERSION + " is set), which holds "
            + "F32 tensors only; F16 and BF16 load from files without vmlp metadata");
      }
    }
  }

  /**
   * The weight and bias tensor of every layer, by index; checks the names. A file of this library names
   * them {@code layers.{i}.weight} and {@code layers.{i}.bias}, {@code i} from 0 with no gap (a gap is a
   * lost layer). A {@code foreign} file (without {@code vmlp.format_version}) may name them as PyTorch's
   * {@code save_file(model.state_dict())} does: {@code P{i}.weight} and {@code P{i}.bias} with one module
   * path {@code P} for all ({@code ""} for a bare {@code nn.Sequential}, {@code layers.} for a
   * {@code layers} attribute), the layers in the order of their indices, which may skip the numbers of
   * modules without parameters (the activations of {@code nn.Sequential(Linear, ReLU, Linear)} leave
   * {@code 0} and {@code 2}), and may lack a layer's bias ({@code nn.Linear(bias=False)}; its entry is then
   * null).
   */
  private static Header.Tensor[][] layerTensors(Header header, Path file, boolean foreign)
      throws ModelFormatException {
    TreeMap<Integer, Header.Tensor[]> byIndex = new TreeMap<>();
    Map<String, Header.Tensor[]> byName = new LinkedHashMap<>();
    String path = null;
    String first = null;
    for (Header.Tensor t : header.tensors) {
      LayerName m = LayerName.parse(t.name());
      if (m == null || (!foreign && (m.module() != null || !m.path().equals(LAYERS_PATH)))) {
        throw new ModelFormatException(file, t.name(), "tensor '" + Header.abbreviate(t.name()) + "': unknown name; "
            + (foreign ? "a model file holds {i}.weight (and {i}.bias), after one module path such as layers. "
                + "(layers.{i}.weight), for every layer, or {name}.weight (and {name}.bias) of named modules"
                : "a model file holds layers.{i}.weight and layers.{i}.bias"));
      }
      if (path == null) {
        path = m.path();
        first = t.name();
      } else if (!path.equals(m.path())) {
        throw new ModelFormatException(file, t.name(), "tensor '" + Header.abbreviate(t.name())
            + "': its module path '" + Header.abbreviate(m.path()) + "' differs from '" + Header.abbreviate(path)
            + "' of '" + Header.abbreviate(first) + "'; the layers of a model file are one sequence");
      } else if ((m.module() == null) != byName.isEmpty()) {
        throw new ModelFormatException(file, t.name(), "tensor '" + Header.abbreviate(t.name()) + "': its layer is "
            + (m.module() == null ? "numbered" : "named") + " where that of '" + Header.abbreviate(first) + "' is "
            + (m.module() == null ? "named" : "numbered") + "; the layers of a model file are one sequence");
      }
      Header.Tensor[] pair = m.module() == null
          ? byIndex.computeIfAbsent(m.index(), i -> new Header.Tensor[2])
          : byName.computeIfAbsent(m.module(), n -> new Header.Tensor[2]);
      pair[m.weight() ? 0 : 1] = t;
    }
    if (byIndex.isEmpty() && byName.isEmpty()) {
      throw new ModelFormatException(file, "layers.0.weight", "tensor 'layers.0.weight' is missing: the file holds "
          + (header.tensors.isEmpty() ? "no tensors" : "no layers"));
    }
    int count = byIndex.size() + byName.size();
    if (count > Architecture.MAX_LAYERS) {
      // the header's tensor cap allows twice as many when layers come without a bias
      String extra = LayerName.tensor(path, (byName.isEmpty() ? byIndex : byName).keySet().stream()
          .skip(Architecture.MAX_LAYERS).findFirst().get(), true);
      throw new ModelFormatException(file, extra, "tensor '" + Header.abbreviate(extra) + "': the file holds "
          + count + " layers, but a network has at most " + Architecture.MAX_LAYERS);
    }
    for (Map.Entry<?, Header.Tensor[]> e : (byName.isEmpty() ? byIndex : byName).entrySet()) {
      Header.Tensor[] pair = e.getValue();
      for (int k = 0; k < (foreign ? 1 : 2); k++) {
        if (pair[k] == null) {
          String missing = LayerName.tensor(path, e.getKey(), k == 0);
          throw new ModelFormatException(file, missing, "tensor '" + Header.abbreviate(missing) + "' is missing");
        }
      }
    }
    if (!byName.isEmpty()) {
      return ChainOrder.of(byName.values(), file);
    }
    Header.Tensor[][] layers = new Header.Tensor[byIndex.size()][];
    int l = 0;
    for (Map.Entry<Integer, Header.Tensor[]> e : byIndex.entrySet()) {
      if (!foreign && e.getKey() != l) {
        String missing = path + l + ".weight";
        throw new ModelFormatException(file, missing, "tensor '" + missing + "' is missing: "
            + (l == 0 ? "the first layer is numbered " + e.getKey()
                : "layer indices jump from " + (l - 1) + " to " + e.getKey()));
      }
      layers[l++] = e.getValue();
    }
    return layers;
  }

  /**
   * A layer tensor's name taken apart: a module path of names each followed by a dot (possibly none;
   * identifiers, or indices such as the {@code 1.} of a Sequential nested in a Sequential), then the
   * layer's index ({@code 0} or up to 9 digits without a leading zero) or, for a named module such as
   * {@code fc1}, its name (a Python identifier of ASCII letters, digits and underscores; {@code module}
   * is then set and {@code index} is -1), then {@code .weight} or {@code .bias}; or {@code weight} and
   * {@code bias} alone, as a bare {@code nn.Linear} names them (module {@code ""}). Parsed by hand: a
   * regular expression with a repeated group recursed once per path segment, and a hostile name of
   * 32,000 segments overflowed the stack.
   */
  private record LayerName(String path, int index, String module, boolean weight) {
    /** The parts of {@code name}, or null when it is not such a name. */
    static LayerName parse(String name) {
      if (name.equals("weight") || name.equals("bias")) {
        return new LayerName("", -1, "", name.equals("weight")); // a bare nn.Linear's state_dict
      }
      boolean weight = name.endsWith(".weight");
      if (!weight && !name.endsWith(".bias")) {
        return null;
      }
      String rest = name.substring(0, name.length() - (weight ? ".weight" : ".bias").length());
      int dot = rest.lastIndexOf('.');
      String last = rest.substring(dot + 1);
      String path = rest.substring(0, dot + 1);
      if (last.isEmpty() || !segments(path)) {
        return null;
      }
      char c0 = last.charAt(0);
      if (c0 < '0' || c0 > '9') {
        // a named module: an identifier, as Python's attribute names are
        return segments(last + ".") ? new LayerName(path, -1, last, weight) : null;
      }
      if (last.length() > 9 || (last.length() > 1 && c0 == '0')) {
        return null;
      }
      for (int i = 0; i < last.length(); i++) {
        if (last.charAt(i) < '0' || last.charAt(i) > '9') {
          return null;
        }
      }
      return new LayerName(path, Integer.parseInt(last), null, weight);
    }

    /** The name of a layer's weight or bias: {@code key} (an index or a module's name) after {@code path}. */
    static String tensor(String path, Object key, boolean weight) {
      String kind = weight ? "weight" : "bias";
      return key.toString().isEmpty() ? kind : path + key + "." + kind;
    }

    /** Whether {@code path} is names of letters, digits and underscores, each followed by one dot. */
    private static boolean segments(String path) {
      boolean segmentStart = true;
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (c == '.' ? segmentStart : !(letter || (c >= '0' && c <= '9'))) {
          return false; // an empty segment, or a character no module name has
        }
        segmentStart = c == '.';
      }
      return true;
    }
  }

  /** Refuses a layer's weight tensor that is not a matrix {@code [out, in]}. */
  static void checkMatrix(Header.Tensor w, Path file) throws ModelFormatException {
    if (w.shape().length != 2) {
      throw new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "': shape "
          + w.shapeText() + " must be [out, in]");
    }
  }

  /** The widths from the input to the output; checks that the shapes chain. */
  private static int[] sizes(Header.Tensor[][] layers, Path file) throws ModelFormatException {
    int[] sizes = new int[layers.length + 1];
    for (int l = 0; l < layers.length; l++) {
      Header.Tensor w = layers[l][0];
      Header.Tensor b = layers[l][1];
      checkMatrix(w, file);
      for (long d : w.shape()) {
        if (d < 1 || d > Architecture.MAX_WIDTH) {
          throw new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "': shape "
              + w.shapeText() + " has a width outside [1, " + Architecture.MAX_WIDTH + "]");
        }
      }
      int out = (int) w.shape()[0];
      int in = (int) w.shape()[1];
      if (l == 0) {
        sizes[0] = in;
      } else if (in != sizes[l]) {
        throw new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "': shape "
            + w.shapeText() + " takes " + in + " inputs, but " + Header.abbreviate(layers[l - 1][0].name()) + " has "
            + sizes[l] + " outputs");
      }
      if (w.elements() > Architecture.MAX_LAYER_WEIGHTS) {
        throw new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "': more than "
            + Architecture.MAX_LAYER_WEIGHTS + " weights in one layer");
      }
      if (b != null && (b.shape().length != 1 || b.shape()[0] != out)) {
        throw new ModelFormatException(file, b.name(), "tensor '" + Header.abbreviate(b.name()) + "': shape "
            + b.shapeText() + " must be [" + out + "] to match " + Header.abbreviate(w.name()) + " " + w.shapeText());
      }
      sizes[l + 1] = out;
    }
    return sizes;
  }

  /**
   * Refuses a file whose layers would take far more memory than the file holds: the padded layout
   * stores a layer of few inputs in up to 64 times its size (a tiny file asking for gigabytes). The
   * layers may take {@value #MEMORY_FACTOR} times the bytes of the file's weights as {@code F32} (twice
   * their bytes in an {@code F16} or {@code BF16} file) plus {@value #MEMORY_ALLOWANCE} bytes; every
   * layer whose inputs and units number 16 or more stays within the factor.
   */
  private static void checkMemory(Header.Tensor[][] layers, int[] sizes, Path file) throws ModelFormatException {
    long fileBytes = 0;
    for (Header.Tensor[] pair : layers) {
      fileBytes += Float.BYTES * (pair[0].elements() + (pair[1] == null ? 0 : pair[1].elements()));
    }
    long budget = MEMORY_FACTOR * fileBytes + MEMORY_ALLOWANCE;
    long stored = 0;
    for (int l = 0; l < layers.length; l++) {
      stored += Float.BYTES * (Layout.modelLayerFloats(l, sizes[l], sizes[l + 1]) + Layout.pad(sizes[l + 1]));
      if (stored > budget) {
        Header.Tensor w = layers[l][0];
        throw new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "': shape "
            + w.shapeText()
            + " brings the model's memory to " + stored + " bytes in this library's padded layout, more than "
            + MEMORY_FACTOR + " times the " + fileBytes + " bytes of the file's weights as F32 plus " + MEMORY_ALLOWANCE);
      }
    }
  }

  private static Architecture architecture(int[] sizes, FileMetadata.Decoded meta, Header.Tensor[][] layers,
      Path file) throws ModelFormatException {
    int outputs = sizes[sizes.length - 1];
    if (meta.head() == Head.SOFTMAX_CROSS_ENTROPY && outputs < 2) {
      String name = layers[layers.length - 1][0].name();
      throw new ModelFormatException(file, name, "tensor '" + Header.abbreviate(name) + "': the output layer has "
          + outputs + " unit, but a softmax head needs at least 2 (a regression model needs head squared_error)");
    }
    Architecture.Builder b = Architecture.builder(sizes[0]);
    for (int l = 0; l < sizes.length - 2; l++) {
      b.hidden(sizes[l + 1], meta.activations().get(l));
    }
    return b.output(outputs, meta.head());
  }

  /**
   * Reads a checked tensor as floats. {@code F16} and {@code BF16} values widen exactly: every one of them,
   * subnormals, infinities and NaNs included, is a float.
   */
  private static float[] readFloats(Source src, long dataStart, Header.Tensor t, Path file) throws IOException {
    float[] v = new float[Math.toIntExact(t.elements())];
    int size = Header.elementBytes(t.dtype());
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, t.end() - t.begin())).order(ByteOrder.LITTLE_ENDIAN);
    long pos = dataStart + t.begin();
    int k = 0;
    while (k < v.length) {
      int count = Math.min(v.length - k, buf.capacity() / size);
      buf.clear().limit(count * size);
      readAt(src, pos, buf, file, "data");
      buf.flip();
      switch (t.dtype()) {
        case Header.F32 -> buf.asFloatBuffer().get(v, k, count);
        case Header.F16 -> {
          for (int i = 0; i < count; i++) {
            v[k + i] = Float.float16ToFloat(buf.getShort());
          }
        }
        default -> { // BF16: the upper half of a float's bits
          for (int i = 0; i < count; i++) {
            v[k + i] = Float.intBitsToFloat(buf.getShort() << 16);
          }
        }
      }
      pos += (long) count * size;
      k += count;
    }
    return v;
  }

  /**
   * Rejects a NaN or infinite value of tensor {@code t}, naming the tensor and the position ({@code [out, in]}
   * when {@code inputs > 0}).
   */
  private static void checkFinite(Header.Tensor t, float[] v, int inputs, Path file) throws ModelFormatException {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        String at = inputs > 0 ? "[" + i / inputs + ", " + i % inputs + "]" : "[" + i + "]";
        throw new ModelFormatException(file, t.name(), "tensor '" + Header.abbreviate(t.name()) + "': value "
            + at + " is " + v[i]
            + " (LoadOptions.withAllowNonFinite, or --allow-non-finite of vmlp eval and predict, keeps it)");
      }
    }
  }
}
