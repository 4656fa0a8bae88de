package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import dev.vmlp.Model;
import dev.vmlp.Trainer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that loads can be saved again, also when its file's header is near the 100,000,000-byte cap:
 * a save writes a longer header than a foreign file's (this library's {@code vmlp.} keys and
 * {@code weights_sha256}, tensors renamed {@code layers.{i}}), so the loader refuses a file whose save
 * would pass the cap less 64 KiB (what training it further may add), and loads one whose save reaches
 * that exactly, which then saves after training too. The files are written as a stream
 * of a few long metadata values, and only one model is held at a time (the save, which parses its header
 * again, takes about 400 MB of heap).
 */
class HeaderCapRoundTripTest {
  /** The tensors of a PyTorch-style file: a 2-2 layer named as {@code nn.Sequential} names it. */
  private static final String TENSORS = "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
      + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}";
  private static final float[] DATA = {1, 2, 3, 4, 0.5f, -0.5f};
  private static final int VALUE_CHARS = 10_000_000;
  /** The longest header a save of a loaded model may write: 64 KiB under the cap, for further training. */
  private static final long LIMIT = Header.MAX_BYTES - 64 * 1024;

  @TempDir
  Path tmp;

  /**
   * A foreign file whose header is {@code length} bytes of JSON without whitespace: metadata values of
   * {@code x}, then the tensors.
   */
  private static Path foreign(Path file, long length) throws IOException {
    String head = "{\"__metadata__\":{";
    String tail = "}," + TENSORS + "}";
    long fill = length - head.length() - tail.length();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array());
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] xs = new byte[1 << 16];
      Arrays.fill(xs, (byte) 'x');
      for (int k = 0; fill > 0; k++) {
        String open = (k == 0 ? "" : ",") + "\"note" + k + "\":\"";
        long chars = Math.min(VALUE_CHARS, fill - open.length() - 1);
        assertTrue(chars >= 0, "the filler ends on a whole entry");
        out.write(open.getBytes(StandardCharsets.US_ASCII));
        for (long left = chars; left > 0; left -= xs.length) {
          out.write(xs, 0, (int) Math.min(xs.length, left));
        }
        out.write('"');
        fill -= open.length() + chars + 1;
      }
      out.write(tail.getBytes(StandardCharsets.US_ASCII));
      out.write(SafetensorsBytes.floats(DATA));
    }
    return file;
  }

  /**
   * The header length a file gives, and the length of its JSON without the padding spaces after it (at
   * most 7, so the header's last 8 bytes tell).
   */
  private static long[] headerLengths(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(length, 0);
      long n = length.getLong(0);
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(8, n));
      ch.read(tail, 8 + n - tail.capacity());
      long json = n;
      for (int i = tail.capacity() - 1; i >= 0 && tail.get(i) == ' '; i--) {
        json--;
      }
      return new long[] {n, json};
    }
  }


  /** How many bytes longer a save's JSON is than that of a foreign file of this shape (fixed: the filler is kept). */
  private long growth() throws IOException {
    Path small = foreign(tmp.resolve("small.safetensors"), 1000);
    Path saved = tmp.resolve("small-saved.safetensors");
    ModelFiles.save(ModelFiles.load(small), saved);
    return headerLengths(saved)[1] - 1000;
  }

  @Test
  void aFileWhoseSaveReachesTheLimitLoadsSavesAndSavesAgainAfterTraining() throws IOException {
    long growth = growth();
    assertTrue(growth > 200, "a save adds the library's keys, the hash and the layers. names: " + growth);
    Path f = foreign(tmp.resolve("at-limit.safetensors"), LIMIT - growth);
    Path again = tmp.resolve("again.safetensors");
    Model m = ModelFiles.load(f);
    String sha = m.weightsSha256();
    ModelFiles.save(m, again);
    Files.delete(f);
    assertEquals(LIMIT, headerLengths(again)[0], "the save's header is exactly the limit");
    Model reloaded = ModelFiles.load(again);
    assertEquals(sha, reloaded.weightsSha256());
    assertEquals(VALUE_CHARS, reloaded.metadata().get("note0").length());
    m = null; // one model of 100 MB of metadata at a time
    Files.delete(again);

    // continued, with the trainer's provenance and a data name as long as a path may be, all escaped
    Dataset data = Dataset.ofClasses("d", new float[] {0, 1, 1, 0}, 2, new int[] {0, 1}, 2);
    Path trained = tmp.resolve("trained.safetensors");
    try (Trainer t = Trainer.builder(reloaded).seed(Long.MIN_VALUE).learningRate(1.17549435E-38f).build()) {
      reloaded = null;
      Model more = t.fit(data, null, 1).model();
      Map<String, String> meta = new LinkedHashMap<>(more.metadata());
      meta.put("dataset", String.valueOf((char) 1).repeat(4096)); // six bytes each, escaped in JSON
      ModelFiles.save(more.withMetadata(meta), trained);
    }
    long[] lengths = headerLengths(trained);
    assertTrue(lengths[0] > LIMIT && lengths[0] <= Header.MAX_BYTES, "continued and saved: " + lengths[0]);
    // and what was saved loads again: the entries that training rewrites are not held to the limit
    Model back = ModelFiles.load(trained);
    assertEquals(4096, back.metadata().get("dataset").length());
  }

  @Test
  void aFileWhoseSaveWouldPassTheLimitIsRefusedOnLoad() throws IOException {
    long growth = growth();
    // one byte more: the save's JSON is one byte over the limit, padded to 8 over; the file itself is under it
    Path f = foreign(tmp.resolve("over.safetensors"), LIMIT - growth + 1);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("header", e.field(), e.getMessage());
    assertTrue(e.getMessage().contains("header: " + (LIMIT - growth + 1) + " bytes, but saving the "
        + "model again would write " + (LIMIT + 8)), e.getMessage());
    assertTrue(e.getMessage().contains("training it further adds up to 65536 more, over the limit of 100000000"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("its metadata would have to be 1 byte shorter"), e.getMessage());
  }

  @Test
  void aSaveRefusesMetadataThatItsLoadWouldRefuse() throws IOException {
    Model m = SafetensorsBytes.small();
    Path probe = tmp.resolve("probe.safetensors");
    ModelFiles.save(m.withMetadata(notes(1)), probe);
    long base = headerLengths(probe)[1]; // the JSON with a last note of one character
    // a last note that puts the header, none of it written anew by training, exactly at the limit: saved, loaded
    Path at = tmp.resolve("at.safetensors");
    ModelFiles.save(m.withMetadata(notes(LIMIT - base + 1)), at);
    assertEquals(LIMIT, headerLengths(at)[0]);
    assertEquals(m.weightsSha256(), ModelFiles.load(at).weightsSha256());
    Files.delete(at);
    // one byte more: refused by the save, as the load would refuse the file, and nothing is written
    Path over = tmp.resolve("over.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(notes(LIMIT - base + 2)), over));
    assertTrue(e.getMessage().startsWith("the model's metadata makes a header too long by 1 byte:"), e.getMessage());
    assertFalse(Files.exists(over));
  }

  /** Nine notes of {@link #VALUE_CHARS} characters (a value may have at most 33,554,432), then one of {@code last}. */
  private static Map<String, String> notes(long last) {
    Map<String, String> notes = new LinkedHashMap<>();
    String value = "x".repeat(VALUE_CHARS);
    for (int k = 0; k < 9; k++) {
      notes.put("note" + k, value);
    }
    notes.put("last", "x".repeat((int) last));
    return notes;
  }
}
