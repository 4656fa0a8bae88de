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
 * would pass the cap less the room for what training it further may write, and loads one whose save
 * reaches that exactly, which then saves after training too, and loads. The files are written as a stream
 * of a few long metadata values, and only one model is held at a time (the save, which parses its header
 * again, takes about 400 MB of heap).
 */
class HeaderCapRoundTripTest {
  /** The tensors of a PyTorch-style file: a 2-2 layer named as {@code nn.Sequential} names it. */
  private static final String TENSORS = "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
      + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}";
  private static final float[] DATA = {1, 2, 3, 4, 0.5f, -0.5f};
  private static final int VALUE_CHARS = 10_000_000;

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

  /**
   * The longest JSON a save of a model with this metadata may write: the cap less the room for the
   * provenance and data name that training may write.
   */
  private static long limit(Map<String, String> metadata) throws IOException {
    long room = ModelFiles.trainingRoom(metadata);
    assertTrue(room > 24 * 1024 && room < 26 * 1024 || !metadata.isEmpty(), "the room: " + room);
    return Header.MAX_BYTES - room;
  }

  /**
   * The room is, to the byte, what the longest value of each entry training writes takes in the header
   * ({@code "key":"value",}), less what the model's own entry takes already: the round trip above takes
   * its room from the same method, so an error in it shifted the cap unseen.
   */
  @Test
  void theRoomIsTheLongestWrittenEntriesLessThoseThere() throws IOException {
    Map<String, String> longest = Map.of("seed", "-9223372036854775808", "epochs", "2147483647",
        "epoch_samples", "2147483647", "epoch_size", "2147483647", "online_samples", "9223372036854775807",
        "learning_rate", "-1.23456789E-38", "shuffle", "false", "threads", "2147483647", "kernels", "x".repeat(64),
        "dataset", "\\u0001".repeat(4096)); // JSON's escape of U+0001: 6 bytes each
    long all = 0;
    for (Map.Entry<String, String> e : longest.entrySet()) {
      all += ("\"" + e.getKey() + "\":\"" + e.getValue() + "\",").length();
    }
    assertEquals(all, ModelFiles.trainingRoom(Map.of()));
    assertEquals(all - "\"seed\":\"7\",".length(), ModelFiles.trainingRoom(Map.of("seed", "7")));
    assertEquals(all - "\"kernels\":\"\",".length() - 64, ModelFiles.trainingRoom(Map.of("kernels", "y".repeat(100))),
        "a longer value than the longest leaves no room for its entry");
  }

  @Test
  void aFileWhoseSaveReachesTheLimitLoadsSavesAndSavesAgainAfterTraining() throws IOException {
    long growth = growth();
    assertTrue(growth > 200, "a save adds the library's keys, the hash and the layers. names: " + growth);
    long limit = limit(Map.of()); // the file's metadata holds nothing that training writes
    Path f = foreign(tmp.resolve("at-limit.safetensors"), limit - growth);
    Path again = tmp.resolve("again.safetensors");
    Model m = ModelFiles.load(f);
    String sha = m.weightsSha256();
    ModelFiles.save(m, again);
    Files.delete(f);
    assertEquals(limit, headerLengths(again)[1], "the save's JSON is exactly the limit");
    Model reloaded = ModelFiles.load(again);
    assertEquals(sha, reloaded.weightsSha256());
    assertEquals(VALUE_CHARS, reloaded.metadata().get("note0").length());
    m = null; // one model of 100 MB of metadata at a time
    Files.delete(again);

    // continued, with the longest provenance and a data name as long as a path may be, all escaped
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
    assertTrue(lengths[1] > limit + 24 * 1024 && lengths[0] <= Header.MAX_BYTES, "continued and saved: " + lengths[1]);
    // and what was saved loads again
    Model back = ModelFiles.load(trained);
    assertEquals(4096, back.metadata().get("dataset").length());
  }

  @Test
  void aFileWhoseSaveWouldPassTheLimitIsRefusedOnLoad() throws IOException {
    long growth = growth();
    long limit = limit(Map.of());
    long room = Header.MAX_BYTES - limit;
    // one byte more: the save's JSON and the room are one byte over the cap; the file itself is under it
    Path f = foreign(tmp.resolve("over.safetensors"), limit - growth + 1);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("header", e.field(), e.getMessage());
    assertTrue(e.getMessage().contains("header: " + (limit - growth + 1) + " bytes, but saving the "
        + "model again would write " + (limit + 1) + " ("), e.getMessage());
    assertTrue(e.getMessage().contains("training it further may add " + room + " (the longest provenance a "
        + "trainer writes and data name vmlp train records), over the limit of 100000000"), e.getMessage());
    assertTrue(e.getMessage().endsWith("its metadata would have to be 1 byte shorter"), e.getMessage());
  }

  @Test
  void aSaveRefusesMetadataThatItsLoadWouldRefuse() throws IOException {
    Model m = SafetensorsBytes.small();
    Path probe = tmp.resolve("probe.safetensors");
    ModelFiles.save(m.withMetadata(notes(1)), probe);
    long base = headerLengths(probe)[1]; // the JSON with a last note of one character
    long limit = limit(Map.of()); // withMetadata replaces the provenance: none of it is written anew
    // a last note that puts the JSON exactly at the limit: saved, loaded
    Path at = tmp.resolve("at.safetensors");
    ModelFiles.save(m.withMetadata(notes(limit - base + 1)), at);
    assertEquals(limit, headerLengths(at)[1]);
    assertEquals(m.weightsSha256(), ModelFiles.load(at).weightsSha256());
    Files.delete(at);
    // one byte more: refused by the save, as the load would refuse the file, and nothing is written
    Path over = tmp.resolve("over.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(notes(limit - base + 2)), over));
    assertTrue(e.getMessage().startsWith("the model's metadata makes a header too long by 1 byte:"), e.getMessage());
    assertFalse(Files.exists(over));
  }

  @Test
  void aLongDatasetOfTheUsersOwnLeavesRoomForTheTrainersProvenance() throws IOException {
    // a trainer keeps a model's dataset entry and adds its provenance: with a dataset entry longer than
    // any vmlp train writes, the room is the provenance's alone, and the model still saves once trained
    Model m = SafetensorsBytes.small();
    Path probe = tmp.resolve("probe.safetensors");
    ModelFiles.save(m.withMetadata(withDataset(1)), probe);
    long base = headerLengths(probe)[1];
    long limit = limit(withDataset(1));
    assertTrue(Header.MAX_BYTES - limit < 1024, "the provenance's room alone: " + (Header.MAX_BYTES - limit));
    Path over = tmp.resolve("over.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.withMetadata(withDataset(limit - base + 2)), over), "one byte over");
    assertTrue(e.getMessage().startsWith("the model's metadata makes a header too long by 1 byte:"), e.getMessage());
    assertFalse(Files.exists(over));

    // exactly at it: saved, loaded, trained (the dataset kept, the longest provenance added), saved, loaded
    Path at = tmp.resolve("at.safetensors");
    ModelFiles.save(m.withMetadata(withDataset(limit - base + 1)), at);
    assertEquals(limit, headerLengths(at)[1]);
    Model loaded = ModelFiles.load(at);
    Files.delete(at);
    Dataset data = Dataset.ofClasses("d", new float[] {0, 1, 1, 0, 1, 0, 0, 1}, 4, new int[] {0, 1}, 2);
    Path trained = tmp.resolve("trained.safetensors");
    try (Trainer t = Trainer.builder(loaded).seed(Long.MIN_VALUE).learningRate(1.17549435E-38f).build()) {
      loaded = null;
      ModelFiles.save(t.fit(data, null, 1).model(), trained);
    }
    assertTrue(headerLengths(trained)[1] > limit, "the provenance took some of the room");
    assertEquals(30_000_000, ModelFiles.load(trained).metadata().get("dataset").length());
  }

  /** A dataset entry of 30,000,000 characters, six notes of {@link #VALUE_CHARS}, and one of {@code last}. */
  private static Map<String, String> withDataset(long last) {
    Map<String, String> notes = new LinkedHashMap<>();
    notes.put("dataset", "x".repeat(30_000_000));
    String value = "x".repeat(VALUE_CHARS);
    for (int k = 0; k < 6; k++) {
      notes.put("note" + k, value);
    }
    notes.put("last", "x".repeat((int) last));
    return notes;
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
