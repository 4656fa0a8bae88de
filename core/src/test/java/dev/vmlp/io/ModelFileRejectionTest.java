package dev.vmlp.io;

import static dev.vmlp.io.SafetensorsBytes.file;
import static dev.vmlp.io.SafetensorsBytes.floats;
import static dev.vmlp.io.SafetensorsBytes.tensor;
import static dev.vmlp.io.SafetensorsBytes.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Model;
import dev.vmlp.internal.text.Excerpt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of malformed or hostile model file is refused with a {@link ModelFormatException} whose
 * {@link ModelFormatException#field()} and message name the tensor, key or section that is wrong, the
 * same through a file and from bytes in memory. The safetensors reference tests these are modelled on
 * are named where they exist.
 */
class ModelFileRejectionTest {
  @TempDir
  Path tmp;

  /** A valid file of {@link SafetensorsBytes#small()}: 4-3-2, 92 data bytes. */
  byte[] valid;
  ObjectNode header;
  byte[] data;
  private int count;

  @BeforeEach
  void makeValidFile() throws IOException {
    valid = SafetensorsBytes.saved(SafetensorsBytes.small(), tmp);
    header = SafetensorsBytes.header(valid);
    data = SafetensorsBytes.data(valid);
  }

  /** Loads {@code bytes} from a file and from memory; both must fail naming {@code field} and each fragment. */
  private ModelFormatException reject(byte[] bytes, String field, String... fragments) throws IOException {
    return reject(bytes, LoadOptions.defaults(), field, fragments);
  }

  private ModelFormatException reject(byte[] bytes, LoadOptions options, String field, String... fragments)
      throws IOException {
    seed(bytes);
    Path f = Files.write(tmp.resolve("bad-" + count++ + ".safetensors"), bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f, options));
    String msg = e.getMessage();
    assertEquals(field, e.field(), msg);
    assertEquals(f, e.file());
    assertTrue(msg.startsWith(f + ": "), msg);
    // as messages show it: a lone surrogate, which no encoder can write, as an escape
    String shown = Excerpt.of(field, field.length());
    assertTrue(msg.contains(shown), () -> "the message does not name " + shown + ": " + msg);
    for (String fragment : fragments) {
      assertTrue(msg.contains(fragment), () -> "the message lacks '" + fragment + "': " + msg);
    }
    ModelFormatException inMemory = assertThrows(ModelFormatException.class, () -> ModelFiles.read(bytes, f, options));
    assertEquals(msg, inMemory.getMessage());
    return e;
  }

  /**
   * With {@code -Dvmlp.fuzzSeeds=DIR}, keeps {@code bytes} in {@code DIR} (named by content) as an
   * input of {@link ModelFilesFuzzTest}.
   */
  static void seed(byte[] bytes) throws IOException {
    String dir = System.getProperty("vmlp.fuzzSeeds");
    if (dir != null) {
      String name;
      try {
        name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      Files.write(Files.createDirectories(Path.of(dir)).resolve("seed-" + name), bytes);
    }
  }

  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  @Test
  void theValidFileLoads() throws IOException {
    seed(valid);
    Path f = Files.write(tmp.resolve("ok.safetensors"), valid);
    Model m = ModelFiles.load(f);
    assertEquals(SafetensorsBytes.small().weightsSha256(), m.weightsSha256());
    assertEquals(92, data.length);
  }

  // ------------------------------------------------------------------ header length (test_header_too_small ...)

  @Test
  void truncatedHeaderLength() throws IOException {
    reject(new byte[] {8, 0, 0, 0, 0}, "header length", "5 bytes");
    reject(new byte[0], "header length", "0 bytes");
    reject(new byte[7], "header length", "the file has 7 bytes"); // one short of the length itself
  }

  @Test
  void headerTooLarge() throws IOException {
    reject(file(100_000_001L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length",
        "100000001", "limit of 100000000");
    reject(file(-2L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length", "18446744073709551614");
    // the limit itself is allowed: such a header fails only for being longer than this file
    reject(file(100_000_000L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length", "100000000",
        "only 2 bytes");
  }

  @Test
  void headerLargerThanTheFile() throws IOException {
    reject(file(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length", "1000", "only 2 bytes");
    // one byte past the end: the length is wrong, not the header cut short
    reject(file(3, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length", "3 bytes, but only 2");
  }

  // ------------------------------------------------------------------ header text

  @Test
  void headerNotUtf8() throws IOException {
    byte[] h = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    h[6] = (byte) 0xff;
    reject(file(h.length, h, new byte[0]), "header", "UTF-8", "byte 14");
  }

  @Test
  void headerNotJson() throws IOException {
    reject(file("{\"a\": nope}", new byte[0]), "header", "not valid JSON");
    reject(file("{'a': 1}", new byte[0]), "header", "not valid JSON"); // single quotes are not JSON
    reject(file(json("{'__metadata__':{'a':'b'},}"), new byte[0]), "header", "not valid JSON"); // trailing comma
    reject(file("{\"__metadata__\":{", new byte[0]), "header", "not valid JSON");
  }

  @Test
  void headerNotAnObject() throws IOException {
    reject(file("[1, 2]", new byte[0]), "header", "not an object", "an array");
    reject(file("\"text\"", new byte[0]), "header", "not an object", "a string");
    reject(file("", new byte[0]), "header", "not an object", "empty");
    reject(file("   ", new byte[0]), "header", "not an object", "empty");
  }

  @Test
  void contentAfterTheObject() throws IOException {
    reject(file("{} {}", new byte[0]), "header", "after the JSON object");
    byte[] nul = file("{}\0\0\0\0\0\0", new byte[0]);
    reject(nul, "header", "not valid JSON");
  }

  @Test
  void whitespaceBeforeAndAfterTheObjectIsAccepted() throws IOException {
    // Like the reference (test_whitespace_padded_header, test_whitespace_leading_padded_header).
    String h = header.toString();
    for (String padded : new String[] {h + "      ", "  \n\t" + h, "\r\n" + h + "\n  "}) {
      seed(file(padded, data));
      Path f = Files.write(tmp.resolve("padded.safetensors"), file(padded, data));
      assertEquals(SafetensorsBytes.small().weightsSha256(), ModelFiles.load(f).weightsSha256());
    }
  }

  @Test
  void duplicateTensorName() throws IOException {
    String t = json("{'dtype':'F32','shape':[1],'data_offsets':[0,4]}");
    reject(file("{\"x\":" + t + ",\"x\":" + t + "}", zeros(8)), "x", "appears twice");
    reject(file("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]), "__metadata__", "appears twice");
  }

  @Test
  void duplicateMetadataKey() throws IOException {
    reject(file(json("{'__metadata__':{'seed':'1','seed':'2'}}"), new byte[0]), "seed", "appears twice");
  }

  @Test
  void duplicateKeyInATensor() throws IOException {
    reject(file(json("{'x':{'dtype':'F32','dtype':'F32','shape':[1],'data_offsets':[0,4]}}"), zeros(4)), "x",
        "dtype appears twice");
  }

  @Test
  void metadataNotAMapOfStrings() throws IOException {
    reject(file(json("{'__metadata__':{'epochs':3}}"), new byte[0]), "epochs", "must be a string", "a number");
    reject(file(json("{'__metadata__':['a']}"), new byte[0]), "__metadata__", "must be an object");
    reject(file(json("{'__metadata__':{'a':{'b':'c'}}}"), new byte[0]), "a", "must be a string", "an object");
  }

  @Test
  void aMetadataValueLongerThanTheLimit() throws IOException {
    // a value near the header's cap took six times its size in heap to parse; one past the limit is refused
    String longest = "a".repeat(Header.MAX_STRING);
    ObjectNode h = header.deepCopy();
    ((ObjectNode) h.get("__metadata__")).put("note", longest + "a");
    reject(file(h, data), "note", "metadata 'note': the value is longer than 33554432 characters");
    ((ObjectNode) h.get("__metadata__")).put("note", longest);
    assertEquals(longest, ModelFiles.read(file(h, data), null, LoadOptions.defaults()).metadata().get("note"));
  }

  // ------------------------------------------------------------------ tensor entries

  @Test
  void unknownDtype() throws IOException {
    header.set("layers.0.bias", tensor("FOO", new long[] {3}, 48, 60));
    reject(file(header, data), "layers.0.bias", "unknown dtype 'FOO'");
  }

  @Test
  void supportedOnlyF32AndHalves() throws IOException {
    // every other type, whatever its width: offsets fitting 4-byte elements must not make it read as F32
    for (String dtype : new String[] {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ",
        "F8_E5M2FNUZ", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "I32", "U32", "F64", "I64", "U64", "C64", "f32",
        "f16", "bf16"}) {
      header.set("layers.0.bias", tensor(dtype, new long[] {3}, 48, 60));
      reject(file(header, data), "layers.0.bias", dtype.startsWith("f") || dtype.startsWith("bf")
          ? "unknown dtype '" + dtype + "'"
          : "dtype " + dtype + " is not supported; a model file holds F32 tensors (F16 or BF16 when it has no vmlp "
              + "metadata");
    }
    // F16 and BF16 take 2 bytes an element: 12 bytes are 6 of them, not 3
    for (String dtype : new String[] {"F16", "BF16"}) {
      header.set("layers.0.bias", tensor(dtype, new long[] {3}, 48, 60));
      reject(file(header, data), "layers.0.bias", "hold 12 bytes, but shape [3] of " + dtype + " needs 6");
    }
  }

  @Test
  void aFileOfThisLibraryHoldsF32Only() throws IOException {
    // F16 and BF16 load from foreign files (PyTorchFileTest); this library writes F32 and its hash names those
    for (String dtype : new String[] {"F16", "BF16"}) {
      header.set("layers.0.bias", tensor(dtype, new long[] {6}, 48, 60));
      reject(file(header, data), "layers.0.bias", "tensor 'layers.0.bias': dtype " + dtype
          + " in a file of this library (vmlp.format_version is set), which holds F32 tensors only");
    }
  }

  @Test
  void tensorEntryMalformed() throws IOException {
    reject(file(json("{'x':[1]}"), new byte[0]), "x", "expected an object");
    reject(file(json("{'x':{'dtype':'F32','shape':[1]}}"), zeros(4)), "x", "data_offsets is missing");
    reject(file(json("{'x':{'shape':[1],'data_offsets':[0,4]}}"), zeros(4)), "x", "dtype is missing");
    reject(file(json("{'x':{'dtype':'F32','data_offsets':[0,4]}}"), zeros(4)), "x", "shape is missing");
    reject(file(json("{'x':{'dtype':'F32','shape':[1],'data_offsets':[0,4],'extra':1}}"), zeros(4)), "x",
        "unknown key 'extra'");
    reject(file(json("{'x':{'dtype':7,'shape':[1],'data_offsets':[0,4]}}"), zeros(4)), "x", "dtype must be a string");
    reject(file(json("{'x':{'dtype':'F32','shape':'1','data_offsets':[0,4]}}"), zeros(4)), "x", "shape must be an array");
    reject(file(json("{'x':{'dtype':'F32','shape':[1.0],'data_offsets':[0,4]}}"), zeros(4)), "x", "must hold integers");
    reject(file(json("{'x':{'dtype':'F32','shape':[-1],'data_offsets':[0,4]}}"), zeros(4)), "x", "negative");
    // serde_json reads -0 as a float, which the reference refuses for a size or an offset
    reject(file(json("{'x':{'dtype':'F32','shape':[-0],'data_offsets':[0,0]}}"), new byte[0]), "x", "shape value -0");
    reject(file(json("{'x':{'dtype':'F32','shape':[1],'data_offsets':[-0,4]}}"), zeros(4)), "x",
        "data_offsets value -0");
    reject(file(json("{'x':{'dtype':'F32','shape':[1],'data_offsets':[0,4,8]}}"), zeros(4)), "x", "more than 2 values");
    reject(file(json("{'x':{'dtype':'F32','shape':[1],'data_offsets':[4]}}"), zeros(4)), "x", "[begin, end]");
    reject(file(json("{'x':{'dtype':'F32','shape':[1,1,1,1,1,1,1,1,1],'data_offsets':[0,4]}}"), zeros(4)), "x",
        "more than 8 values");
  }

  @Test
  void shapeOverflow() throws IOException {
    // test_validation_overflow: the element or byte count must not wrap around
    reject(file(json("{'x':{'dtype':'F32','shape':[2, 4611686018427387904],'data_offsets':[0,16]}}"), zeros(16)),
        "x", "overflows");
    reject(file(json("{'x':{'dtype':'F32','shape':[2, 18446744073709551614],'data_offsets':[0,16]}}"), zeros(16)),
        "x", "too large");
    reject(file(json("{'x':{'dtype':'F32','shape':[2, -99999999999999999999],'data_offsets':[0,16]}}"), zeros(16)),
        "x", "is negative");
    reject(file(json("{'x':{'dtype':'F32','shape':[2, 2305843009213693952],'data_offsets':[0,0]}}"), new byte[0]),
        "x", "overflows"); // 2^62 elements fit a long, 2^64 bytes do not
    // 2^32 x 2^32 elements wrap around to 0, which the offsets [0, 0] would match
    reject(file(json("{'x':{'dtype':'F32','shape':[4294967296, 4294967296],'data_offsets':[0,0]}}"), new byte[0]),
        "x", "overflows");
    // A number too long for the parser's limits (found by the fuzz test: such errors carry no location).
    reject(file(json("{'x':{'dtype':'F32','shape':[" + "8".repeat(100) + "],'data_offsets':[0,0]}}"), new byte[0]),
        "header", "not valid JSON", "Number value length");
  }

  @Test
  void offsetsThatDisagreeWithTheShape() throws IOException {
    // test_invalid_info
    header.set("layers.0.bias", tensor("F32", new long[] {3}, 48, 64));
    reject(file(header, data), "layers.0.bias", "hold 16 bytes", "needs 12");
    header.set("layers.0.bias", tensor("F32", new long[] {3}, 60, 48));
    reject(file(header, data), "layers.0.bias", "end before they begin");
  }

  @Test
  void offsetsOutOfRange() throws IOException {
    header.set("layers.1.bias", tensor("F32", new long[] {2}, 92, 100));
    reject(file(header, data), "layers.1.bias", "out of range", "92 bytes");
  }

  @Test
  void overlappingOffsetsTheJsonAttack() throws IOException {
    // test_json_attack: many tensors claim the same 16 bytes
    StringBuilder h = new StringBuilder("{");
    for (int i = 0; i < 10; i++) {
      h.append(i == 0 ? "" : ",").append(json("'t" + i + "':{'dtype':'F32','shape':[2,2],'data_offsets':[0,16]}"));
    }
    reject(file(h.append('}').toString(), zeros(16)), "t1", "overlap tensor 't0'");
    header.set("layers.0.bias", tensor("F32", new long[] {3}, 40, 52));
    reject(file(header, data), "layers.0.bias", "overlap tensor 'layers.0.weight', which ends at 48");
  }

  @Test
  void gapBetweenTensors() throws IOException {
    reject(file(json("{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},"
        + "'b':{'dtype':'F32','shape':[1],'data_offsets':[8,12]}}"), zeros(12)), "b", "gap", "'a' ends at 4");
    reject(file(json("{'a':{'dtype':'F32','shape':[1],'data_offsets':[4,8]}}"), zeros(8)), "a", "gap",
        "starts at 0");
  }

  @Test
  void trailingBytes() throws IOException {
    // test_metadata_incomplete_buffer: a polyglot tail after the data
    reject(SafetensorsBytes.concat(valid, "<?php ?>".getBytes(StandardCharsets.UTF_8)), "data", "8 trailing bytes");
  }

  @Test
  void dataShorterThanTheOffsets() throws IOException {
    // test_metadata_incomplete_buffer: the buffer two bytes short
    reject(Arrays.copyOf(valid, valid.length - 2), "layers.1.bias", "out of range", "90 bytes");
    // one byte short is out of range too, not a tiling of minus one trailing byte
    reject(Arrays.copyOf(valid, valid.length - 1), "layers.1.bias", "out of range", "91 bytes");
  }

  // ------------------------------------------------------------------ the network

  @Test
  void noTensors() throws IOException {
    reject(file("{}", new byte[0]), "layers.0.weight", "no tensors");
    reject(file(json("{'__metadata__':{'format':'pt'}}"), new byte[0]), "layers.0.weight", "no tensors");
  }

  @Test
  void unknownTensorName() throws IOException {
    for (String name : new String[] {"scaling.shift", "layers.0.gamma", "layers.01.weight", "layers.-1.bias",
        "0.weight", "layers.0.weight ", "layers.9999999999.weight"}) {
      ObjectNode h = header.deepCopy();
      h.set(name, h.remove("layers.1.bias"));
      reject(file(h, data), name, "unknown name", "layers.{i}.weight");
    }
  }

  @Test
  void missingLayerTensor() throws IOException {
    ObjectNode h = header.deepCopy();
    h.remove("layers.0.bias");
    h.set("layers.0.weight", tensor("F32", new long[] {3, 4}, 0, 48));
    h.set("layers.1.weight", tensor("F32", new long[] {2, 3}, 48, 72));
    h.set("layers.1.bias", tensor("F32", new long[] {2}, 72, 80));
    reject(file(h, Arrays.copyOf(data, 80)), "layers.0.bias", "is missing");
    h = header.deepCopy();
    h.remove("layers.1.weight");
    h.set("layers.1.bias", tensor("F32", new long[] {2}, 60, 68));
    reject(file(h, Arrays.copyOf(data, 68)), "layers.1.weight", "is missing");
  }

  @Test
  void controlCharactersInNamesAreEscapedInMessages() throws IOException {
    ObjectNode h = header.deepCopy();
    String name = "x\u001b[2Jy";
    h.set(name, h.remove("layers.1.bias"));
    Path f = Files.write(tmp.resolve("escape.safetensors"), file(h, data));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals(name, e.field());
    assertTrue(e.getMessage().contains("tensor 'x\\u001B[2Jy': unknown name"), e.getMessage());
    assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
  }

  @Test
  void longLayerNamesAreCutInMessages() throws IOException {
    // a PyTorch file's module path may be as long as the parser takes a name (65,536 characters); every
    // message quotes it cut to 80, as it quotes a name it does not know, and the field keeps it whole
    String path = "m".repeat(60_000) + ".";
    ObjectNode foreign = SafetensorsBytes.JSON.createObjectNode();
    header.properties().forEach(e -> {
      if (!e.getKey().equals("__metadata__")) {
        foreign.set(path + e.getKey().substring("layers.".length()), e.getValue());
      }
    });
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    ObjectNode h = foreign.deepCopy();
    h.set(path + "0.weight", tensor("F32", new long[] {12}, 0, 48));
    rejectLong(file(h, data), relu, path + "0.weight", "must be [out, in]");
    h = foreign.deepCopy();
    h.set(path + "1.weight", tensor("F32", new long[] {3, 2}, 60, 84));
    rejectLong(file(h, data), relu, path + "1.weight", "takes 2 inputs, but " + Header.abbreviate(path + "0.weight"));
    h = foreign.deepCopy();
    h.set(path + "0.bias", tensor("F32", new long[] {1, 3}, 48, 60));
    rejectLong(file(h, data), relu, path + "0.bias", "shape [1, 3] must be [3] to match "
        + Header.abbreviate(path + "0.weight"));
    ByteBuffer d = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
    d.putFloat(4 * (2 * 4 + 1), Float.NaN); // 0.weight [2, 1]
    rejectLong(file(foreign, d.array()), relu, path + "0.weight", "value [2, 1] is NaN");
    h = SafetensorsBytes.JSON.createObjectNode();
    h.set(path + "0.weight", tensor("F32", new long[] {1, 2}, 0, 8));
    h.set(path + "0.bias", tensor("F32", new long[] {1}, 8, 12));
    rejectLong(file(h, zeros(12)), relu, path + "0.weight", "the output layer has 1 unit");
  }

  /** {@link #reject} for a tensor whose name is too long to quote whole: the message quotes it cut. */
  private void rejectLong(byte[] bytes, LoadOptions options, String name, String fragment) throws IOException {
    Path f = Files.write(tmp.resolve("long-" + count++ + ".safetensors"), bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f, options));
    String msg = e.getMessage();
    String head = msg.substring(0, Math.min(300, msg.length()));
    assertEquals(name, e.field(), head);
    assertTrue(msg.startsWith(f + ": tensor '" + Header.abbreviate(name) + "': "), head);
    assertTrue(msg.contains(fragment), () -> "the message lacks '" + fragment + "': " + head);
    assertTrue(msg.length() < f.toString().length() + 400, () -> msg.length() + " characters: " + head);
  }

  @Test
  void controlCharactersThatTheJsonParserQuotesAreEscapedInMessages() throws IOException {
    // the parser quotes a bad token up to its first character that no identifier may hold, and ESC and the
    // C1 controls (CSI) may: ESC c resets a terminal, CSI 2 J clears it
    for (String token : new String[] {"x\u001bc", "x\u009b2J"}) {
      ModelFormatException e = reject(file("{\"a\": " + token + "}", new byte[0]), "header", "not valid JSON",
          "Unrecognized token");
      assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
    }
  }

  @Test
  void layersThatWouldTakeFarMoreMemoryThanTheFileHolds() throws IOException {
    // a layer of one input is stored in rows of 64 floats: 4 MB of weights would take 256 MB
    int wide = 1 << 20;
    ObjectNode h = oneInputThenWide(wide);
    reject(file(h, zeros(8 + 8 * wide)), LoadOptions.defaults().withActivation(Activation.RELU), "layers.1.weight",
        "shape [1048576, 1]", "memory", "4 times the 8388616 bytes");
    // the same layer 16 inputs wide is within the bound and loads
    h.set("layers.0.weight", tensor("F32", new long[] {16, 1}, 0, 64));
    h.set("layers.0.bias", tensor("F32", new long[] {16}, 64, 128));
    int rows = 1 << 16;
    h.set("layers.1.weight", tensor("F32", new long[] {rows, 16}, 128, 128 + 64L * rows));
    h.set("layers.1.bias", tensor("F32", new long[] {rows}, 128 + 64L * rows, 128 + 68L * rows));
    Model m = ModelFiles.read(file(h, zeros(128 + 68 * rows)), null, LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals(rows, m.architecture().outputs());
  }

  @Test
  void theMemoryBoundCountsThePaddedBiases() throws IOException {
    // 1-1 then 1-296000: the layers take 76,960,128 bytes in the padded layout, over the bound of
    // 4 x 2,368,008 + 64 MiB = 76,580,896, of which the padded biases are 1,184,256; without them the
    // model would fit
    int rows = 296_000;
    reject(file(oneInputThenWide(rows), zeros(8 + 8 * rows)), LoadOptions.defaults().withActivation(Activation.RELU),
        "layers.1.weight", "memory to 76960128 bytes", "4 times the 2368008 bytes");
  }

  @Test
  void theMemoryBoundCountsHalfPrecisionWeightsAsFloats() throws IOException {
    // the same 1-1-296000 network in F16 and BF16 (a foreign file): half the bytes, the same model, the
    // same bound, counted over the weights as F32
    int rows = 296_000;
    for (String dtype : new String[] {"F16", "BF16"}) {
      ObjectNode h = SafetensorsBytes.JSON.createObjectNode();
      h.set("layers.0.weight", tensor(dtype, new long[] {1, 1}, 0, 2));
      h.set("layers.0.bias", tensor(dtype, new long[] {1}, 2, 4));
      h.set("layers.1.weight", tensor(dtype, new long[] {rows, 1}, 4, 4 + 2L * rows));
      h.set("layers.1.bias", tensor(dtype, new long[] {rows}, 4 + 2L * rows, 4 + 4L * rows));
      reject(file(h, zeros(4 + 4 * rows)), LoadOptions.defaults().withActivation(Activation.RELU),
          "layers.1.weight", "memory to 76960128 bytes", "4 times the 2368008 bytes of the file's weights as F32");
      // 290,000 rows take 75,400,128 bytes, more than the 64 MiB allowance alone but within 4 x 2,320,008
      // + 64 MiB = 76,388,896: the file loads, though its own 1,160,008 bytes, counted as they are, would
      // not allow it
      int fits = 290_000;
      h.set("layers.1.weight", tensor(dtype, new long[] {fits, 1}, 4, 4 + 2L * fits));
      h.set("layers.1.bias", tensor(dtype, new long[] {fits}, 4 + 2L * fits, 4 + 4L * fits));
      Model m = ModelFiles.read(file(h, zeros(4 + 4 * fits)), null, LoadOptions.defaults().withActivation(Activation.RELU));
      assertEquals(fits, m.architecture().outputs(), dtype);
    }
  }

  /** The header of a 1-1-{@code wide} network, its tensors stored one after the other. */
  private static ObjectNode oneInputThenWide(int wide) {
    ObjectNode h = SafetensorsBytes.JSON.createObjectNode();
    h.set("layers.0.weight", tensor("F32", new long[] {1, 1}, 0, 4));
    h.set("layers.0.bias", tensor("F32", new long[] {1}, 4, 8));
    h.set("layers.1.weight", tensor("F32", new long[] {wide, 1}, 8, 8 + 4L * wide));
    h.set("layers.1.bias", tensor("F32", new long[] {wide}, 8 + 4L * wide, 8 + 8L * wide));
    return h;
  }

  @Test
  void metadataKeysWhoseHashesCollideLoad() throws IOException {
    // 1,024 keys of "Aa" and "B@" blocks share one hash in a multiply-by-33 table (a JSON parser's name table)
    ObjectNode h = header.deepCopy();
    ObjectNode meta = (ObjectNode) h.get("__metadata__");
    for (int i = 0; i < 1024; i++) {
      StringBuilder key = new StringBuilder("c");
      for (int bit = 0; bit < 10; bit++) {
        key.append((i >> bit & 1) == 0 ? "Aa" : "B@");
      }
      meta.put(key.toString(), "v");
    }
    Model m = ModelFiles.read(file(h, data), null, LoadOptions.defaults());
    assertEquals("v", m.metadata().get("cAaAaAaAaAaAaAaAaAaAa"));
  }

  @Test
  void layersNumberedFromOne() throws IOException {
    ObjectNode h = header.deepCopy();
    h.set("layers.2.weight", h.remove("layers.1.weight"));
    h.set("layers.2.bias", h.remove("layers.1.bias"));
    h.set("layers.1.weight", h.remove("layers.0.weight"));
    h.set("layers.1.bias", h.remove("layers.0.bias"));
    reject(file(h, data), "layers.0.weight", "is missing", "the first layer is numbered 1");
  }

  @Test
  void unpairedSurrogates() throws IOException {
    // test_json_attack's cousin: escapes that decode to half a surrogate pair are not Unicode
    String h = header.toString();
    reject(file(h.replace("\"__metadata__\":{", "\"__metadata__\":{\"note\":\"a\\ud800b\","), data), "note",
        "metadata 'note' value", "unpaired surrogate (U+D800) at character 1");
    reject(file(h.replace("\"__metadata__\":{", "\"__metadata__\":{\"\\udc00\":\"x\","), data), "\udc00",
        "metadata key '\\uDC00'", "unpaired surrogate (U+DC00)");
    reject(file(h.replace("\"layers.1.bias\"", "\"layers.1.bias\\ud800\""), data), "layers.1.bias\ud800",
        "tensor name", "unpaired surrogate");
    // a whole pair (an emoji) is fine as far as this check goes
    ModelFiles.read(file(h.replace("\"__metadata__\":{", "\"__metadata__\":{\"note\":\"\\ud83d\\ude00\","), data),
        tmp.resolve("pair.safetensors"), LoadOptions.defaults());
  }

  @Test
  void layerIndexGap() throws IOException {
    ObjectNode h = header.deepCopy();
    h.set("layers.2.weight", h.remove("layers.1.weight"));
    h.set("layers.2.bias", h.remove("layers.1.bias"));
    reject(file(h, data), "layers.1.weight", "is missing", "from 0 to 2");
  }

  @Test
  void shapesThatDoNotChain() throws IOException {
    header.set("layers.1.weight", tensor("F32", new long[] {3, 2}, 60, 84));
    reject(file(header, data), "layers.1.weight", "takes 2 inputs", "layers.0.weight has 3 outputs");
  }

  @Test
  void weightNotAMatrix() throws IOException {
    header.set("layers.0.weight", tensor("F32", new long[] {12}, 0, 48));
    reject(file(header, data), "layers.0.weight", "must be [out, in]");
    header.set("layers.0.weight", tensor("F32", new long[] {12, 1, 1}, 0, 48));
    reject(file(header, data), "layers.0.weight", "must be [out, in]");
  }

  @Test
  void zeroWidth() throws IOException {
    ObjectNode h = header.deepCopy();
    h.set("layers.0.weight", tensor("F32", new long[] {0, 4}, 0, 0));
    h.set("layers.0.bias", tensor("F32", new long[] {0}, 0, 0));
    h.set("layers.1.weight", tensor("F32", new long[] {2, 0}, 0, 0));
    h.set("layers.1.bias", tensor("F32", new long[] {2}, 0, 8));
    reject(file(h, zeros(8)), "layers.0.weight", "width outside [1, ");
    // one past the widest layer
    int wide = dev.vmlp.Architecture.MAX_WIDTH + 1;
    h = SafetensorsBytes.JSON.createObjectNode();
    h.set("layers.0.weight", tensor("F32", new long[] {2, wide}, 0, 8L * wide));
    h.set("layers.0.bias", tensor("F32", new long[] {2}, 8L * wide, 8L * wide + 8));
    reject(file(h, zeros(8 * wide + 8)), "layers.0.weight", "shape [2, 1048577] has a width outside [1, 1048576]");
    h = SafetensorsBytes.JSON.createObjectNode();
    h.set("layers.0.weight", tensor("F32", new long[] {0, 4}, 0, 0));
    h.set("layers.0.bias", tensor("F32", new long[] {0}, 0, 0));
    h.set("layers.1.weight", tensor("F32", new long[] {2, 0}, 0, 0));
    h.set("layers.1.bias", tensor("F32", new long[] {2}, 0, 8));
    // empty tensors sort before a full one at the same offset, as the reference sorts by (begin, end),
    // whatever their order in the header: the width is what is wrong, not an overlap
    ObjectNode fullFirst = SafetensorsBytes.JSON.createObjectNode();
    for (String name : new String[] {"layers.1.bias", "layers.0.weight", "layers.0.bias", "layers.1.weight"}) {
      fullFirst.set(name, h.get(name));
    }
    reject(file(fullFirst, zeros(8)), "layers.0.weight", "width outside [1, ");
  }

  @Test
  void biasShapeWrong() throws IOException {
    header.set("layers.0.bias", tensor("F32", new long[] {1, 3}, 48, 60));
    reject(file(header, data), "layers.0.bias", "shape [1, 3] must be [3]");
    header.set("layers.0.bias", tensor("F32", new long[] {3, 1}, 48, 60)); // the right count, and length first
    reject(file(header, data), "layers.0.bias", "shape [3, 1] must be [3]");
    // a bias of the right rank and the wrong length, with every offset still contiguous
    header.set("layers.0.bias", tensor("F32", new long[] {2}, 48, 56));
    header.set("layers.1.weight", tensor("F32", new long[] {2, 3}, 56, 80));
    header.set("layers.1.bias", tensor("F32", new long[] {2}, 80, 88));
    reject(file(header, zeros(88)), "layers.0.bias", "shape [2] must be [3]");
  }

  @Test
  void softmaxHeadWithOneOutput() throws IOException {
    byte[] f = file(json("{'layers.0.weight':{'dtype':'F32','shape':[1,2],'data_offsets':[0,8]},"
        + "'layers.0.bias':{'dtype':'F32','shape':[1],'data_offsets':[8,12]}}"), zeros(12));
    reject(f, "layers.0.weight", "softmax head needs at least 2");
  }

  // ------------------------------------------------------------------ metadata

  private byte[] withMeta(String key, String value) {
    ObjectNode h = header.deepCopy();
    ObjectNode meta = (ObjectNode) h.get("__metadata__");
    if (value == null) {
      meta.remove(key);
    } else {
      meta.put(key, value);
    }
    return file(h, data);
  }

  @Test
  void unknownActivation() throws IOException {
    reject(withMeta("vmlp.activations", "swish"), "vmlp.activations", "unknown activation 'swish'");
    reject(withMeta("vmlp.activations", "RELU"), "vmlp.activations", "unknown activation 'RELU'");
    reject(withMeta("vmlp.activations", "relu,relu"), "vmlp.activations", "names 2 activations", "1 hidden");
    // fewer than the hidden layers: one activation does not stand for all in a file
    Model twoHidden = Model.initialize(dev.vmlp.Architecture.of(4, new int[] {3, 3}, Activation.TANH, 2,
        dev.vmlp.Head.SOFTMAX_CROSS_ENTROPY), 1);
    ObjectNode h = SafetensorsBytes.header(SafetensorsBytes.saved(twoHidden, tmp));
    ((ObjectNode) h.get("__metadata__")).put("vmlp.activations", "tanh");
    reject(file(h, SafetensorsBytes.data(SafetensorsBytes.saved(twoHidden, tmp))), "vmlp.activations",
        "names 1 activations, but the tensors make 2 hidden layers");
    reject(withMeta("vmlp.activations", ",".repeat(1_000_000)), "vmlp.activations", "names 1000001 activations");
    // a key that a save refuses is refused on load too, so that what loads can be saved
    reject(withMeta("__metadata__", "x"), "__metadata__", "reserved name");
    reject(withMeta("vmlp.activations", ""), "vmlp.activations", "is empty");
  }

  @Test
  void unknownHead() throws IOException {
    reject(withMeta("vmlp.head", "svm"), "vmlp.head", "unknown head 'svm'");
  }

  @Test
  void badFormatVersion() throws IOException {
    reject(withMeta("vmlp.format_version", "one"), "vmlp.format_version", "'one' is not a format version");
    reject(withMeta("vmlp.format_version", "01"), "vmlp.format_version", "not a format version");
    reject(withMeta("vmlp.format_version", "2"), "vmlp.format_version", "newer");
  }

  @Test
  void missingOrStrayVmlpKeys() throws IOException {
    reject(withMeta("vmlp.head", null), "vmlp.head", "is missing");
    reject(withMeta("vmlp.scaling", null), "vmlp.scaling", "is missing");
    reject(withMeta("vmlp.library_version", null), "vmlp.library_version", "is missing");
    reject(withMeta("vmlp.future_key", "x"), "vmlp.future_key", "not a key of format version 1");
    reject(withMeta("vmlp.scaling.shift", "1,2,3,4"), "vmlp.scaling.shift", "vmlp.scaling is scale");
    ObjectNode h = header.deepCopy();
    ((ObjectNode) h.get("__metadata__")).remove("vmlp.format_version");
    reject(file(h, data), LoadOptions.defaults().withActivation(Activation.RELU), "vmlp.library_version",
        "vmlp.format_version is missing");
  }

  @Test
  void unparsableScaling() throws IOException {
    reject(withMeta("vmlp.scaling", "minmax"), "vmlp.scaling", "unknown input scaling 'minmax'");
    reject(withMeta("vmlp.scaling.factor", "0x1p-1"), "vmlp.scaling.factor", "not a decimal number");
    reject(withMeta("vmlp.scaling.factor", "0.5f"), "vmlp.scaling.factor", "not a decimal number");
    reject(withMeta("vmlp.scaling.factor", "NaN"), "vmlp.scaling.factor", "not a decimal number");
    reject(withMeta("vmlp.scaling.factor", "1e39"), "vmlp.scaling.factor", "out of the float range");
    reject(withMeta("vmlp.scaling.factor", "-2"), "vmlp.scaling.factor", "finite and positive");
    reject(withMeta("vmlp.scaling.factor", null), "vmlp.scaling.factor", "is missing");

    ObjectNode h = header.deepCopy();
    ObjectNode meta = standardized(h);
    meta.put("vmlp.scaling.shift", "0,1,2");
    reject(file(h, data), "vmlp.scaling.shift", "has 3 values", "4 inputs");
    meta.put("vmlp.scaling.shift", "0,1,2,3,4");
    reject(file(h, data), "vmlp.scaling.shift", "more than the 4 values");
    meta.put("vmlp.scaling.shift", "0,1,,3");
    reject(file(h, data), "vmlp.scaling.shift", "value 2: '' is not a decimal number");
    meta.put("vmlp.scaling.shift", "0,1,2,3");
    meta.put("vmlp.scaling.scale", "1,0,1,1");
    reject(file(h, data), "vmlp.scaling.scale", "scale non-zero");
  }

  @Test
  void unparsableProvenance() throws IOException {
    reject(withMeta("seed", "0x10"), "seed", "not a 64-bit integer");
    reject(withMeta("seed", "99999999999999999999"), "seed", "not a 64-bit integer");
    reject(withMeta("epochs", "-1"), "epochs", "not a count of epochs");
    reject(withMeta("epoch_samples", "1.5"), "epoch_samples", "not a count of samples");
    reject(withMeta("epoch_size", "0"), "epoch_size", "not a positive count of samples");
    reject(withMeta("online_samples", "-3"), "online_samples", "not a count of samples");
    reject(withMeta("online_samples", "99999999999999999999"), "online_samples", "not a count of samples");
    reject(withMeta("threads", "0"), "threads", "not a positive number of threads");
    reject(withMeta("shuffle", "yes"), "shuffle", "not true or false");
    reject(withMeta("learning_rate", "Infinity"), "learning_rate", "not a positive finite learning rate");
    reject(withMeta("weights_sha256", "ABC"), "weights_sha256", "64 lower-case hex digits");
  }

  /**
   * A number with a leading zero is refused, as a JSON number may not have one, and Long.toString,
   * Integer.toString and Float.toString, which write every value a file of this library holds, never
   * write one: "007" epochs, a seed of "0042", "01" threads loaded as 7, 42 and 1. One of each kind: a
   * 64-bit integer, int counts, a long count, and decimals (provenance and scaling).
   */
  @Test
  void numbersWithALeadingZeroAreRefused() throws IOException {
    String why = "(it has a leading zero, which a JSON number may not)";
    reject(withMeta("seed", "0042"), "seed", "'0042' is not a 64-bit integer " + why);
    reject(withMeta("seed", "-07"), "seed", "'-07' is not a 64-bit integer " + why);
    reject(withMeta("epochs", "007"), "epochs", "'007' is not a count of epochs " + why);
    reject(withMeta("epochs", "00"), "epochs", "'00' is not a count of epochs " + why);
    reject(withMeta("threads", "01"), "threads", "'01' is not a positive number of threads " + why);
    reject(withMeta("online_samples", "0100"), "online_samples", "'0100' is not a count of samples " + why);
    ObjectNode h = header.deepCopy();
    ObjectNode meta = (ObjectNode) h.get("__metadata__");
    meta.put("epoch_samples", "099");
    meta.put("epoch_size", "100");
    reject(file(h, data), "epoch_samples", "'099' is not a count of samples " + why);
    meta.put("epoch_samples", "99");
    meta.put("epoch_size", "0100");
    reject(file(h, data), "epoch_size", "'0100' is not a positive count of samples " + why);
    reject(withMeta("learning_rate", "00.01"), "learning_rate", "'00.01' is not a positive finite learning rate " + why);
    reject(withMeta("vmlp.scaling.factor", "01.5"), "vmlp.scaling.factor", "'01.5' is not a decimal number " + why);
    ObjectNode s = header.deepCopy();
    standardized(s).put("vmlp.scaling.shift", "0,1,-02.5,3");
    reject(file(s, data), "vmlp.scaling.shift", "value 2: '-02.5' is not a decimal number " + why);
    // a zero alone, before a point, and in an exponent are not leading zeros
    Model m = ModelFiles.read(withMeta("seed", "0"), null, LoadOptions.defaults());
    assertEquals("0", m.metadata().get("seed"));
    assertEquals("0.05", ModelFiles.read(withMeta("learning_rate", "0.05"), null, LoadOptions.defaults())
        .metadata().get("learning_rate"));
    assertEquals("5.0E-07", ModelFiles.read(withMeta("learning_rate", "5.0E-07"), null, LoadOptions.defaults())
        .metadata().get("learning_rate"));
    // and a value that is not a number is not said to have one
    ModelFormatException e = reject(withMeta("weights_sha256", "00AB"), "weights_sha256", "64 lower-case hex digits");
    assertFalse(e.getMessage().contains("leading zero"), e.getMessage());
  }

  @Test
  void theEdgesOfTheMetadataValues() throws IOException {
    // the largest int is a count; one more is not
    Model m = ModelFiles.read(withMeta("epochs", "2147483647"), null, LoadOptions.defaults());
    assertEquals("2147483647", m.metadata().get("epochs"));
    reject(withMeta("epochs", "2147483648"), "epochs", "not a count of epochs");
    // a decimal number of more than 64 characters is none that Float.toString writes
    String long65 = "0.1" + "0".repeat(62);
    reject(withMeta("learning_rate", long65), "learning_rate", "not a positive finite learning rate");
    reject(withMeta("vmlp.library_version", " "), "vmlp.library_version", "is empty");
    // the right hash in capitals is not the form a file holds
    String upper = SafetensorsBytes.small().weightsSha256().toUpperCase(java.util.Locale.ROOT);
    reject(withMeta("weights_sha256", upper), "weights_sha256", "64 lower-case hex digits");
    // a trailing comma starts a fifth value
    ObjectNode h = header.deepCopy();
    standardized(h).put("vmlp.scaling.shift", "0,1,2,3,");
    reject(file(h, data), "vmlp.scaling.shift", "more than the 4 values");
    // and a leading one ends an empty first value
    standardized(h).put("vmlp.scaling.shift", ",1,2,3");
    reject(file(h, data), "vmlp.scaling.shift", "value 0: '' is not a decimal number");
  }

  /** Sets {@code h}'s scaling to standardize over its 4 inputs (shift 0, scale 1), and returns its metadata. */
  private static ObjectNode standardized(ObjectNode h) {
    ObjectNode meta = (ObjectNode) h.get("__metadata__");
    meta.remove("vmlp.scaling.factor");
    meta.put("vmlp.scaling", "standardize");
    meta.put("vmlp.scaling.shift", "0,0,0,0");
    meta.put("vmlp.scaling.scale", "1,1,1,1");
    return meta;
  }

  @Test
  void aPartDoneEpochNeedsBothItsKeysAndFewerSamplesThanItsSize() throws IOException {
    ObjectNode h = header.deepCopy();
    ObjectNode meta = (ObjectNode) h.get("__metadata__");
    meta.put("epoch_samples", "100");
    reject(file(h, data), "epoch_samples", "100 samples of a part-done epoch are recorded without epoch_size");
    meta.put("epoch_size", "100");
    reject(file(h, data), "epoch_samples", "100 samples done of an epoch of 100");
    meta.put("epoch_samples", "0");
    reject(file(h, data), "epoch_size", "'100' is recorded without a part-done epoch");
    meta.remove("epoch_samples");
    reject(file(h, data), "epoch_size", "'100' is recorded without a part-done epoch");
    meta.put("epoch_samples", "99");
    Path f = Files.write(tmp.resolve("part-done.safetensors"), file(h, data));
    assertEquals("99", ModelFiles.load(f).metadata().get("epoch_samples"), "a part-done epoch loads");
  }

  @Test
  void aForeignFilesProvenanceMustParseAsOurs() throws IOException {
    // no vmlp.format_version: the activation is given, but unprefixed keys still mean what they mean
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    ObjectNode h = header.deepCopy();
    ObjectNode meta = h.putObject("__metadata__");
    meta.put("seed", "random");
    reject(file(h, data), relu, "seed", "not a 64-bit integer");
    meta.remove("seed");
    meta.put("__metadata__", "x");
    reject(file(h, data), relu, "__metadata__", "reserved name");
    meta.remove("__metadata__");
    meta.put("weights_sha256", "0".repeat(64));
    reject(file(h, data), relu, "weights_sha256", "changed or damaged");
    meta.put("weights_sha256", SafetensorsBytes.small().weightsSha256());
    meta.put("seed", "7");
    meta.put("format", "pt");
    Model m = ModelFiles.read(file(h, data), tmp.resolve("foreign.safetensors"), relu);
    ModelFiles.save(m, tmp.resolve("again.safetensors")); // what loads can be saved again
    assertEquals("pt", ModelFiles.load(tmp.resolve("again.safetensors")).metadata().get("format"));
  }

  @Test
  void aNegativeZeroBiasKeepsTheFilesHash() throws IOException {
    // the model turns a -0 bias into +0; the hash check is over the values as stored
    ByteBuffer d = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
    d.putFloat(48, -0f); // layers.0.bias [0]
    dev.vmlp.internal.hash.FloatSha256 stored = new dev.vmlp.internal.hash.FloatSha256();
    for (int i = 0; i < d.capacity(); i += 4) {
      stored.add(d.getFloat(i));
    }
    ObjectNode h = header.deepCopy();
    ((ObjectNode) h.get("__metadata__")).put("weights_sha256", stored.hex());
    byte[] bytes = file(h, d.array());
    Model m = ModelFiles.read(bytes, tmp.resolve("zero.safetensors"), LoadOptions.defaults());
    assertEquals(0, Float.floatToRawIntBits(m.layer(0).bias()[0]), "+0 in the model");
  }

  @Test
  void weightsThatDoNotMatchTheirHash() throws IOException {
    byte[] bad = valid.clone();
    bad[bad.length - 1] ^= 0x01; // the last bias, one bit
    reject(bad, "weights_sha256", "the file says " + SafetensorsBytes.small().weightsSha256(), "changed or damaged");
  }

  @Test
  void aWeightDamagedIntoNanIsReportedByTheHash() throws IOException {
    // the file's own hash tells that its weights were changed; keeping non-finite weights, which the NaN's
    // message suggests, would only lead to that error
    byte[] bad = valid.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putFloat(bad.length - data.length + 4 * 9, Float.NaN);
    reject(bad, "weights_sha256", "the file says " + SafetensorsBytes.small().weightsSha256(), "changed or damaged");
    reject(bad, LoadOptions.defaults().withAllowNonFinite(true), "weights_sha256", "changed or damaged");
  }

  @Test
  void nanOrInfiniteWeight() throws IOException {
    ObjectNode h = header.deepCopy();
    h.remove("__metadata__"); // the hash would catch the change first
    ByteBuffer d = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
    d.putFloat(4 * (2 * 4 + 1), Float.NaN); // layers.0.weight [2, 1]
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    reject(file(h, d.array()), relu, "layers.0.weight", "value [2, 1] is NaN");
    d = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
    d.putFloat(84 + 4, Float.NEGATIVE_INFINITY); // layers.1.bias [1]
    reject(file(h, d.array()), relu, "layers.1.bias", "value [1] is -Infinity");
  }

  @Test
  void aFileWithoutMetadataNeedsTheActivation() throws IOException {
    ObjectNode h = header.deepCopy();
    h.remove("__metadata__");
    // a library user is told the LoadOptions method, not only the command line's flag
    reject(file(h, data), "vmlp.activations", "no vmlp metadata", "1 hidden layer", "LoadOptions.withActivation",
        "--activation");
    reject(file(h, data), LoadOptions.defaults().withActivations(java.util.List.of(Activation.RELU, Activation.TANH)),
        "activations", "1 hidden layer, but 2 activations were given (relu,tanh)");
  }

  @Test
  void activationsGivenForANetworkWithoutHiddenLayersAreCountedToo() throws IOException {
    // one given is the activation of every hidden layer, of none here; two were taken too, where a
    // network of one hidden layer refuses them
    LoadOptions two = LoadOptions.defaults().withActivations(List.of(Activation.RELU, Activation.TANH));
    Model m = Model.initialize(dev.vmlp.Architecture.of(2, new int[0], Activation.RELU, 2,
        dev.vmlp.Head.SOFTMAX_CROSS_ENTROPY), 1);
    Path own = tmp.resolve("one-layer.safetensors");
    ModelFiles.save(m, own);
    reject(Files.readAllBytes(own), two, "activations", "0 hidden layers, but 2 activations were given (relu,tanh)");
    assertEquals(m.weightsSha256(),
        ModelFiles.load(own, LoadOptions.defaults().withActivation(Activation.RELU)).weightsSha256());
    // a bare nn.Linear, without metadata
    Map<String, SafetensorsBytes.Raw> linear = new java.util.LinkedHashMap<>();
    linear.put("weight", SafetensorsBytes.Raw.f32(new long[] {2, 2}, 1, 2, 3, 4));
    reject(file(null, linear), two, "activations", "0 hidden layers, but 2 activations were given (relu,tanh)");
  }

  // ------------------------------------------------------------------ not a model file at all

  @Test
  void aSerializedJavaObject() throws IOException {
    // Java serialization is never read: the stream header AC ED 00 05 ... is a (huge) header length.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, Object> map = new HashMap<>(Map.of("layers.0.weight", new float[] {1, 2}));
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(map);
    }
    byte[] serialized = bytes.toByteArray();
    assertEquals((byte) 0xac, serialized[0]);
    reject(serialized, "header length", "exceeds the limit");
  }

  @Test
  void otherFilesAreRefused() throws IOException {
    reject("just some text in a file".getBytes(StandardCharsets.UTF_8), "header length", "exceeds the limit");
    byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0};
    reject(zip, "header length", "exceeds the limit");
  }

  /**
   * The files users mistake for model files are named by what they start as: torch.save's zip archive and
   * its older pickle, with the call that writes safetensors instead; gzip; HDF5 (Keras). Text is not.
   */
  @Test
  void aTorchSaveFileIsNamedWithTheCallThatWritesSafetensors() throws IOException {
    String advice = "save the weights with safetensors.torch.save_file(model.state_dict(), PATH)";
    reject(new byte[] {0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0}, "header length", "exceeds the limit",
        "it starts as a zip archive does, such as the .pt or .pth file torch.save writes", advice);
    for (byte protocol = 2; protocol <= 5; protocol++) {
      reject(new byte[] {(byte) 0x80, protocol, 0x63, 0x63, 0x6f, 0x6c, 0x6c, 0x65, 0x63}, "header length",
          "it starts as a Python pickle does", advice);
    }
    // a safetensors file, gzipped, with an mtime: over the limit; without one (gzip -n): longer than the file
    reject(new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, 0x11, 0x22, 0x33, 0x44, 0, 0}, "header length",
        "exceeds the limit", "it starts as gzip data does: decompress it first");
    reject(new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0}, "header length",
        "559903 bytes, but only 2 bytes follow it; it starts as gzip data does");
    reject(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0}, "header length",
        "it starts as an HDF5 file does, such as a Keras .h5 model");
    // each byte of each signature counts: one byte off, no format is named
    // (a pickle's second byte is a range: the bytes either side of it)
    List<byte[]> near = new java.util.ArrayList<>(List.of(new byte[] {(byte) 0x80, 1, 1, 1, 1, 1, 1, 1},
        new byte[] {(byte) 0x80, 6, 1, 1, 1, 1, 1, 1}, new byte[] {(byte) 0x81, 2, 1, 1, 1, 1, 1, 1},
        "just some text".getBytes(StandardCharsets.UTF_8)));
    for (byte[] signature : new byte[][] {{0x50, 0x4b, 0x03, 0x04}, {0x1f, (byte) 0x8b},
        {(byte) 0x89, 'H', 'D', 'F'}}) {
      for (int k = 0; k < signature.length; k++) {
        byte[] b = {1, 1, 1, 1, 1, 1, 1, 1};
        System.arraycopy(signature, 0, b, 0, signature.length);
        b[k]++;
        near.add(b);
      }
    }
    for (byte[] b : near) {
      ModelFormatException e = reject(b, "header length", "exceeds the limit");
      assertFalse(e.getMessage().contains("it starts as"), Arrays.toString(b) + ": " + e.getMessage());
    }
  }

  /**
   * A safetensors file cut short (a download that stopped) is not named as a pickle or gzip: a header of
   * 640, 896, 1,152 or 1,408 bytes (a multiple of 8, as writers pad it) starts with the bytes of a pickle's
   * protocol 2 to 5, and one of 559,903 with those of gzip; the byte after the length, '{', says that a
   * header follows.
   */
  @Test
  void aSafetensorsFileCutShortIsNotNamedAsAnotherFormat() throws IOException {
    String json = header.toString();
    for (int length : new int[] {640, 896, 1152, 1408, 559_903}) {
      byte[] h = (json + " ".repeat(length - json.length())).getBytes(StandardCharsets.UTF_8);
      byte[] whole = file(length, h, data);
      assertEquals(SafetensorsBytes.small().weightsSha256(), ModelFiles.read(whole, null, LoadOptions.defaults())
          .weightsSha256());
      ModelFormatException e = reject(Arrays.copyOf(whole, 300), "header length",
          "header length: " + length + " bytes, but only 292 bytes follow it");
      assertFalse(e.getMessage().contains("it starts as"), e.getMessage());
      // cut after the length and the '{': 9 bytes still have the byte that says so
      e = reject(Arrays.copyOf(whole, 9), "header length", "header length: " + length + " bytes, but only 1 bytes follow it");
      assertFalse(e.getMessage().contains("it starts as"), e.getMessage());
    }
  }
}
