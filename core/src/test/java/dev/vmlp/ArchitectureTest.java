package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits of an architecture are those of a model file: any network that can be built can be saved. */
class ArchitectureTest {
  @TempDir
  Path tmp;

  private static Architecture deep(int hidden) {
    Architecture.Builder b = Architecture.builder(3);
    for (int i = 0; i < hidden; i++) {
      b.hidden(1, Activation.TANH);
    }
    return b.output(2, Head.SOFTMAX_CROSS_ENTROPY);
  }

  @Test
  void theDeepestNetworkSavesAndLoads() throws IOException {
    Architecture arch = deep(Architecture.MAX_LAYERS - 1);
    assertEquals(Architecture.MAX_LAYERS, arch.layerCount());
    Model m = Model.initialize(arch, 3);
    Path f = tmp.resolve("deep.safetensors");
    ModelFiles.save(m, f);
    assertEquals(m.weightsSha256(), ModelFiles.load(f).weightsSha256());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deep(Architecture.MAX_LAYERS));
    assertEquals("a network has at most 2048 layers (2047 hidden), got 2049", e.getMessage());
  }

  @Test
  void aRefusedHiddenLayerLeavesTheBuilderAsItWas() {
    Architecture.Builder b = Architecture.builder(3);
    assertEquals("activation", assertThrows(NullPointerException.class, () -> b.hidden(4, null)).getMessage());
    // the width used to be added without its activation, and output() then failed on the mismatch
    assertEquals("3-2(softmax)", b.output(2, Head.SOFTMAX_CROSS_ENTROPY).toString());
    assertEquals("3-4(relu)-2(softmax)", b.hidden(4, Activation.RELU).output(2, Head.SOFTMAX_CROSS_ENTROPY).toString());
  }

  @Test
  void widthsAndLayerSizesHaveBounds() {
    assertEquals("hidden layer 1 width must be in [1, 1048576], got 0",
        assertThrows(IllegalArgumentException.class, () -> Architecture.builder(4).hidden(0, Activation.RELU))
            .getMessage());
    assertEquals("inputs must be in [1, 1048576], got 1048577",
        assertThrows(IllegalArgumentException.class, () -> Architecture.builder(Architecture.MAX_WIDTH + 1))
            .getMessage());
    assertEquals("layer 2 (1048576 x 2048) has more than 2147483583 weights",
        assertThrows(IllegalArgumentException.class, () -> Architecture.of(4, new int[] {1 << 20}, Activation.RELU,
            2048, Head.SQUARED_ERROR)).getMessage());
  }
}
