package dev.vmlp.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.vmlp.internal.text.Excerpt;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, parsed and checked the way the reference implementation
 * does: a JSON object whose {@code __metadata__} entry (optional, may be null) maps strings to
 * strings and whose other entries are tensors {@code {"dtype", "shape", "data_offsets"}}; names are
 * unique; element and byte counts do not overflow; sorted by offset, the tensors tile the data section
 * from 0 to its last byte without gaps or overlaps.
 *
 * <p>Whitespace: JSON whitespace (space, tab, CR, LF) is accepted before and after the object, as
 * the reference implementation accepts it: its writer pads the header with trailing spaces so that the
 * data starts at a multiple of 8 bytes, and it reads headers padded at the front too. Anything else
 * around the object, such as NUL bytes or a second JSON value, is rejected.
 *
 * <p>Stricter than the reference: each tensor entry must have exactly the three keys; only
 * {@code F32}, {@code F16} and {@code BF16} data are accepted (the last two only in files without this
 * library's metadata, which {@code ModelFiles} checks; both widen to {@code F32} exactly); at most
 * {@value #MAX_TENSORS} tensors, {@value #MAX_METADATA} metadata entries besides the keys this library
 * writes ({@link FileMetadata#WRITTEN_KEYS}) and {@value #MAX_RANK} dimensions per shape, so that a hostile
 * header of the maximum size cannot make the parsed form much larger than itself.
 */
final class Header {
  /** Largest accepted header, in bytes (the reference implementation's limit). */
  static final long MAX_BYTES = 100_000_000;
  static final int MAX_TENSORS = 2 * dev.vmlp.Architecture.MAX_LAYERS; // a weight and a bias per layer
  static final int MAX_METADATA = 10_000;
  static final int MAX_RANK = 8;
  /**
   * Longest metadata value, in characters: room for a standardisation list of the widest input layer
   * ({@code 2^20} numbers of up to 15 characters and their commas), and a bound on what the parser
   * holds twice while it reads one value (a 100 MB value took six times its size in heap).
   */
  static final int MAX_STRING = 1 << 25;
  static final String METADATA_KEY = "__metadata__";
  static final String F32 = "F32";
  static final String F16 = "F16";
  static final String BF16 = "BF16";
  /**
   * The data types the safetensors format defines; all but F32, F16 and BF16 are recognised only to be
   * refused by name.
   */
  private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
      "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
      "F64", "I64", "U64", "C64");

  /**
   * Jackson's streaming parser, strict JSON (no comments, no NaN, no trailing commas) with limits.
   * Duplicate names are found by this class at every level instead of by
   * {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}, so that the error names the tensor or key.
   * Names are not canonicalised: the factory's shared name table would keep every file's names for
   * the life of the JVM, and it refuses a valid header whose names collide in its hash.
   */
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(8)
          .maxDocumentLength(MAX_BYTES)
          .maxStringLength(MAX_STRING)
          .maxNameLength(1 << 16)
          .maxNumberLength(64)
          .build())
      .build();

  /** One tensor entry: its byte range {@code [begin, end)} is relative to the start of the data section. */
  record Tensor(String name, String dtype, long[] shape, long elements, long begin, long end) {
    String shapeText() {
      return Arrays.toString(shape);
    }
  }

  final List<Tensor> tensors;
  final Map<String, String> metadata;

  private Header(List<Tensor> tensors, Map<String, String> metadata) {
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** Parses the header text; {@code file} only names the file in errors. */
  static Header parse(Reader json, Path file) throws ModelFormatException {
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new ModelFormatException(file, "header", "header: the JSON is not an object but "
            + (t == null ? "empty" : describe(t)));
      }
      List<Tensor> tensors = new ArrayList<>();
      Set<String> names = new HashSet<>();
      Map<String, String> metadata = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        checkText(name, name, "tensor name", file);
        if (!names.add(name)) {
          if (name.equals(METADATA_KEY)) {
            throw new ModelFormatException(file, METADATA_KEY, "metadata: " + METADATA_KEY + " appears twice");
          }
          throw new ModelFormatException(file, name, "tensor '" + abbreviate(name) + "': the name appears twice");
        }
        p.nextToken();
        if (name.equals(METADATA_KEY)) {
          metadata = readMetadata(p, file);
        } else {
          if (tensors.size() == MAX_TENSORS) {
            throw new ModelFormatException(file, "header", "header: more than " + MAX_TENSORS + " tensors");
          }
          tensors.add(readTensor(p, name, file));
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new ModelFormatException(file, "header", "header: the JSON object is not closed");
      }
      t = p.nextToken();
      if (t != null) {
        throw new ModelFormatException(file, "header", "header: " + describe(t) + " after the JSON object");
      }
      return new Header(List.copyOf(tensors), metadata == null ? Map.of() : metadata);
    } catch (ModelFormatException e) {
      throw e;
    } catch (JsonProcessingException e) {
      // limit violations (StreamConstraintsException) carry no location
      JsonLocation at = e.getLocation();
      throw new ModelFormatException(file, "header", "header: not valid JSON: " + escaped(e.getOriginalMessage())
          + (at != null ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : ""), e);
    } catch (IOException e) {
      // Jackson reads from bytes in memory here, so only its parse errors (above) can occur.
      throw new ModelFormatException(file, "header", "header: " + escaped(e.getMessage()), e);
    }
  }

  private static Map<String, String> readMetadata(JsonParser p, Path file) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new ModelFormatException(file, METADATA_KEY, "metadata: " + METADATA_KEY
          + " must be an object of strings, not " + describe(p.currentToken()));
    }
    Map<String, String> m = new LinkedHashMap<>();
    int counted = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      checkText(key, key, "metadata key", file);
      if (m.containsKey(key)) {
        throw new ModelFormatException(file, key, "metadata '" + abbreviate(key) + "': the key appears twice");
      }
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new ModelFormatException(file, key, "metadata '" + abbreviate(key) + "': the value must be a string, not "
            + describe(p.currentToken()));
      }
      if (!FileMetadata.WRITTEN_KEYS.contains(key) && counted++ == MAX_METADATA) {
        throw new ModelFormatException(file, METADATA_KEY, "metadata: more than " + MAX_METADATA + " entries besides "
            + "the " + FileMetadata.WRITTEN_KEYS.size() + " keys this library writes");
      }
      String value;
      try {
        value = p.getText();
      } catch (StreamConstraintsException e) {
        throw new ModelFormatException(file, key, "metadata '" + abbreviate(key) + "': the value is longer than "
            + MAX_STRING + " characters", e);
      }
      checkText(value, key, "metadata '" + abbreviate(key) + "' value", file);
      m.put(key, value);
    }
    return m;
  }

  /**
   * Rejects a string that holds half of a surrogate pair on its own (a JSON escape of U+D800 alone
   * gets one through): it is not Unicode, so it has no UTF-8 form, and other safetensors readers
   * refuse it.
   */
  private static void checkText(String text, String field, String what, Path file) throws ModelFormatException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new ModelFormatException(file, field, "header: " + what + " '" + abbreviate(text)
            + "' holds an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
            + ") at character " + i);
      }
    }
  }

  private static Tensor readTensor(JsonParser p, String name, Path file) throws IOException {
    String where = "tensor '" + abbreviate(name) + "': ";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new ModelFormatException(file, name, where + "expected an object with dtype, shape and data_offsets, not "
          + describe(p.currentToken()));
    }
    String dtype = null;
    long[] shape = null;
    long[] offsets = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if ((key.equals("dtype") && dtype != null) || (key.equals("shape") && shape != null)
          || (key.equals("data_offsets") && offsets != null)) {
        throw new ModelFormatException(file, name, where + key + " appears twice");
      }
      switch (key) {
        case "dtype" -> {
          if (v != JsonToken.VALUE_STRING) {
            throw new ModelFormatException(file, name, where + "dtype must be a string, not " + describe(v));
          }
          dtype = p.getText();
          if (!dtype.equals(F32) && !dtype.equals(F16) && !dtype.equals(BF16)) {
            throw new ModelFormatException(file, name, where + (KNOWN_DTYPES.contains(dtype)
                ? "dtype " + dtype + " is not supported; a model file holds F32 tensors (F16 or BF16 when it has "
                    + "no vmlp metadata, such as a PyTorch export)"
                : "unknown dtype '" + abbreviate(dtype) + "'"));
          }
        }
        case "shape" -> shape = readLongs(p, file, name, "shape", MAX_RANK);
        case "data_offsets" -> {
          offsets = readLongs(p, file, name, "data_offsets", 2);
          if (offsets.length != 2) {
            throw new ModelFormatException(file, name, where + "data_offsets must be [begin, end], got "
                + Arrays.toString(offsets));
          }
        }
        default -> throw new ModelFormatException(file, name, where + "unknown key '" + abbreviate(key)
            + "'; a tensor has dtype, shape and data_offsets");
      }
    }
    if (dtype == null || shape == null || offsets == null) {
      String missing = dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets";
      throw new ModelFormatException(file, name, where + missing + " is missing");
    }
    long elements = 1;
    long bytes;
    try {
      for (long d : shape) {
        elements = Math.multiplyExact(elements, d);
      }
      bytes = Math.multiplyExact(elements, elementBytes(dtype));
    } catch (ArithmeticException e) {
      throw new ModelFormatException(file, name, where + "shape " + Arrays.toString(shape)
          + " overflows: its byte count exceeds 2^63 - 1");
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw new ModelFormatException(file, name, where + "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    if (end - begin != bytes) {
      throw new ModelFormatException(file, name, where + "data_offsets [" + begin + ", " + end + "] hold "
          + (end - begin) + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
    }
    return new Tensor(name, dtype, shape, elements, begin, end);
  }

  /** The bytes of one element of an accepted dtype: 4 for F32, 2 for F16 and BF16. */
  static int elementBytes(String dtype) {
    return dtype.equals(F32) ? Float.BYTES : Short.BYTES;
  }

  /** A JSON array of at most {@code max} non-negative integers that fit a long. */
  private static long[] readLongs(JsonParser p, Path file, String tensor, String key, int max) throws IOException {
    String where = "tensor '" + abbreviate(tensor) + "': ";
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new ModelFormatException(file, tensor, where + key + " must be an array of integers, not "
          + describe(p.currentToken()));
    }
    long[] values = new long[max];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new ModelFormatException(file, tensor, where + key + " must hold integers, not " + describe(t));
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        String text = p.getText();
        throw new ModelFormatException(file, tensor, where + key + " value " + abbreviate(text)
            + (text.startsWith("-") ? " is negative" : " is too large"));
      }
      long v = p.getLongValue();
      if (v == 0 && p.getText().startsWith("-")) {
        // serde_json reads -0 as a float, which the reference refuses as a size or offset
        throw new ModelFormatException(file, tensor, where + key + " value -0 is not a non-negative integer");
      }
      if (v < 0) {
        throw new ModelFormatException(file, tensor, where + key + " value " + v + " is negative");
      }
      if (n == max) {
        throw new ModelFormatException(file, tensor, where + key + " has more than " + max + " values");
      }
      values[n++] = v;
    }
    return Arrays.copyOf(values, n);
  }

  /**
   * Checks that the tensors, sorted by offset, cover {@code [0, dataLength)} exactly: the first starts
   * at 0, each starts where the previous one ends, and the last ends at {@code dataLength}.
   */
  void checkOffsets(long dataLength, Path file) throws ModelFormatException {
    for (Tensor t : tensors) {
      if (t.end > dataLength) {
        throw new ModelFormatException(file, t.name, "tensor '" + abbreviate(t.name) + "': data_offsets [" + t.begin
            + ", " + t.end + "] are out of range: the data section has " + dataLength + " bytes");
      }
    }
    List<Tensor> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
    long expected = 0;
    Tensor previous = null;
    for (Tensor t : sorted) {
      if (t.begin != expected) {
        String problem = t.begin < expected
            ? "overlap tensor '" + abbreviate(previous.name) + "', which ends at " + expected
            : "leave a gap: " + (previous == null ? "the data section starts at 0" : "tensor '"
                + abbreviate(previous.name) + "' ends at " + expected);
        throw new ModelFormatException(file, t.name, "tensor '" + abbreviate(t.name) + "': data_offsets [" + t.begin + ", "
            + t.end + "] " + problem);
      }
      expected = t.end;
      previous = t;
    }
    if (expected != dataLength) {
      throw new ModelFormatException(file, "data", "data: the tensors end at byte " + expected
          + " of the data section, which has " + dataLength + " bytes (" + (dataLength - expected)
          + " trailing bytes)");
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the header";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() != null ? "'" + t.asString() + "'" : t.name();
    };
  }

  /**
   * A parser's message with its control characters escaped: it quotes a bad token up to the first character
   * that a Java identifier may not hold, and ESC and the C1 controls are not such characters ({@code x ESC c} in a
   * header reset the terminal that showed the error).
   */
  private static String escaped(String message) {
    return message == null ? null : Excerpt.of(message, Integer.MAX_VALUE);
  }

  /** A name or value from the file as a message quotes it: at most 80 characters, control characters escaped. */
  static String abbreviate(String s) {
    return Excerpt.of(s, 80);
  }
}
