package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The header's counts are refused past their limits and not at them: exactly {@link Header#MAX_TENSORS}
 * tensors and {@link Header#MAX_METADATA} metadata entries parse, one more does not. (The files of the
 * other tests stay far below the tensor limit, and a saved model's own metadata keys come on top of a
 * user's, so a limit one too high passed them.)
 */
class HeaderLimitsTest {
  private static Header parse(String json) throws ModelFormatException {
    return Header.parse(new StringReader(json), Path.of("limits.safetensors"));
  }

  private static String tensors(int count) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[")
          .append(4L * i).append(',').append(4L * i + 4).append("]}");
    }
    return sb.append('}').toString();
  }

  private static String metadata(int count) {
    StringBuilder sb = new StringBuilder("{\"__metadata__\":{");
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    return sb.append("}}").toString();
  }

  @Test
  void theTensorLimitIsReachedThenRefused() throws ModelFormatException {
    assertEquals(Header.MAX_TENSORS, parse(tensors(Header.MAX_TENSORS)).tensors.size());
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(tensors(Header.MAX_TENSORS + 1)));
    assertTrue(e.getMessage().contains("more than " + Header.MAX_TENSORS + " tensors"), e.getMessage());
  }

  @Test
  void theMetadataLimitIsReachedThenRefused() throws ModelFormatException {
    assertEquals(Header.MAX_METADATA, parse(metadata(Header.MAX_METADATA)).metadata.size());
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(metadata(Header.MAX_METADATA + 1)));
    assertTrue(e.getMessage().contains("more than " + Header.MAX_METADATA + " entries"), e.getMessage());
  }
}
