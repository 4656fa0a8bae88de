package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void theOutputLayerHasAWidthAHeadAndNoActivation() {
    assertEquals("a softmax head needs at least 2 classes, got 1", assertThrows(IllegalArgumentException.class,
        () -> Architecture.builder(3).output(1, Head.SOFTMAX_CROSS_ENTROPY)).getMessage());
    assertEquals(1, Architecture.builder(3).output(1, Head.SQUARED_ERROR).outputs());
    assertEquals("output width must be in [1, 1048576], got 0", assertThrows(IllegalArgumentException.class,
        () -> Architecture.builder(3).output(0, Head.SQUARED_ERROR)).getMessage());
    assertEquals("head", assertThrows(NullPointerException.class,
        () -> Architecture.builder(3).output(2, null)).getMessage());
    Architecture arch = Architecture.of(3, new int[] {4, 5}, Activation.TANH, 2, Head.SQUARED_ERROR);
    assertEquals(Activation.TANH, arch.activation(1));
    assertEquals(Activation.IDENTITY, arch.activation(2));
    assertThrows(IndexOutOfBoundsException.class, () -> arch.activation(-1));
  }

  @Test
  void sizesAndCountsCoverEveryLayer() {
    Architecture arch = Architecture.of(3, new int[] {4, 5}, Activation.RELU, 2, Head.SQUARED_ERROR);
    assertArrayEquals(new int[] {3, 4, 5, 2}, arch.sizes());
    assertEquals(3 * 4 + 4 * 5 + 5 * 2, arch.forwardMultiplyAdds());
    assertEquals(3 * 4 + 4 * 5 + 5 * 2 + 4 + 5 + 2, arch.parameterCount());
    arch.sizes()[0] = 99;
    assertEquals(3, arch.sizes()[0]);
  }

  @Test
  void equalArchitecturesHaveTheSameWidthsActivationsAndHead() {
    Architecture a = Architecture.of(3, new int[] {4}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Architecture same = Architecture.of(3, new int[] {4}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, Architecture.of(2, new int[] {4}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), "inputs");
    assertNotEquals(a, Architecture.of(3, new int[] {5}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), "width");
    assertNotEquals(a, Architecture.of(3, new int[] {4}, Activation.TANH, 2, Head.SOFTMAX_CROSS_ENTROPY),
        "activation");
    assertNotEquals(a, Architecture.of(3, new int[] {4}, Activation.RELU, 2, Head.SQUARED_ERROR), "head");
  }

  @Test
  void namesParseWhateverTheirCaseSpacesAndDashes() {
    for (Activation a : Activation.values()) {
      assertEquals(a, Activation.parse(a.id()));
      assertEquals(a, Activation.parse(" " + a.id().toUpperCase(java.util.Locale.ROOT) + " "));
    }
    assertEquals(Activation.LEAKY_RELU, Activation.parse("Leaky-ReLU"));
    assertEquals(Activation.LEAKY_RELU, Activation.parse("leakyrelu"));
    assertEquals("unknown activation 'swish'; expected one of identity, sigmoid, tanh, relu, leaky_relu",
        assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish")).getMessage());
    for (Head h : Head.values()) {
      assertEquals(h, Head.parse(" " + h.id().toUpperCase(java.util.Locale.ROOT) + " "));
    }
    for (String s : new String[] {"softmax_cross_entropy", "Cross-Entropy", "classification"}) {
      assertEquals(Head.SOFTMAX_CROSS_ENTROPY, Head.parse(s), s);
    }
    for (String s : new String[] {"squared-error", " MSE", "regression"}) {
      assertEquals(Head.SQUARED_ERROR, Head.parse(s), s);
    }
    assertEquals("unknown head 'svm'; expected softmax or squared_error",
        assertThrows(IllegalArgumentException.class, () -> Head.parse("svm")).getMessage());
  }

  @Test
  void aNullNameIsANullPointerNamingTheArgument() {
    // the same for the three: Kind.parse said "unknown input scaling 'null'"
    assertEquals("name", assertThrows(NullPointerException.class, () -> Activation.parse(null)).getMessage());
    assertEquals("name", assertThrows(NullPointerException.class, () -> Head.parse(null)).getMessage());
    assertEquals("id", assertThrows(NullPointerException.class, () -> InputScaling.Kind.parse(null)).getMessage());
  }

  @Test
  void onlyTheSoftmaxHeadClassifiesAndOnlyTheReluFamilyTakesHe() {
    assertTrue(Head.SOFTMAX_CROSS_ENTROPY.classifies());
    assertFalse(Head.SQUARED_ERROR.classifies());
    assertTrue(Activation.RELU.reluFamily());
    assertTrue(Activation.LEAKY_RELU.reluFamily());
    for (Activation a : new Activation[] {Activation.IDENTITY, Activation.SIGMOID, Activation.TANH}) {
      assertFalse(a.reluFamily(), a.id());
    }
  }
}
