package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The public API is small: what only the library itself calls is package-private. */
class PublicSurfaceTest {
  private static String publicMethods(Class<?> c) {
    return Arrays.stream(c.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .map(Method::getName)
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new))
        .toString();
  }

  @Test
  void activationAndScalingShowOnlyWhatUsersCall() {
    // reluFamily (the initialisation's choice, called by Params) and preservesZeros (called by nothing)
    // were public
    assertEquals("[id, parse, valueOf, values]", publicMethods(Activation.class));
    assertEquals("[apply, divideBy, equals, factor, featureCount, hashCode, kind, multiplyBy, none, perFeature, "
        + "scale, shift, standardize, toString]", publicMethods(InputScaling.class));
  }
}
