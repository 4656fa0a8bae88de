package dev.vmlp.internal.text;

/**
 * The metadata keys of a model file's input scaling: one list for the file's reader and writer and for
 * a model that drops them when its scaling changes.
 */
public final class ScalingKeys {
  public static final String SCALING = "vmlp.scaling";
  public static final String FACTOR = SCALING + ".factor";
  public static final String SHIFT = SCALING + ".shift";
  public static final String SCALE = SCALING + ".scale";

  private ScalingKeys() {}

  /** Whether {@code key} is {@value #SCALING} or one of its values' keys ({@code vmlp.scaling.*}). */
  public static boolean is(String key) {
    return key.equals(SCALING) || key.startsWith(SCALING + ".");
  }
}
