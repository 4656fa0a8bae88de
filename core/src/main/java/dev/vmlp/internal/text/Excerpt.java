package dev.vmlp.internal.text;

import java.util.Locale;

/** Text from an input file as error messages quote it. */
public final class Excerpt {
  private Excerpt() {}

  /**
   * {@code s} cut to {@code max} characters (the last three then {@code ...}), with each control
   * character written as a Java escape (a backslash, {@code u} and four hex digits), so that a hostile
   * file can neither flood a message nor send escape sequences to a terminal. So are the characters a
   * terminal does not show as themselves: format characters (a byte-order mark, a zero-width space, a
   * right-to-left override, which turns the rest of the line around), line and paragraph separators,
   * and spaces other than the ASCII one (a no-break space), so that a value that is not a number does
   * not read as one. A cut never splits a character outside the BMP (its two {@code char}s stay together
   * or go together), and a lone surrogate, which no encoder can write, is escaped too.
   */
  public static String of(String s, int max) {
    int end = max - 3;
    // a cut after a high surrogate would leave half a character, which prints as '?'
    end = s.length() > max && Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end;
    String cut = s.length() <= max ? s : s.substring(0, end) + "...";
    StringBuilder b = null;
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (Character.isISOControl(c) || hidden(c) || lone(cut, i)) {
        if (b == null) {
          b = new StringBuilder(cut.length() + 16).append(cut, 0, i);
        }
        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? cut : b.toString();
  }

  /** Whether the {@code char} at {@code i} is a surrogate not paired with its neighbour. */
  private static boolean lone(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  /** Whether {@code c} shows as nothing, as another character, or not on the line where it is. */
  private static boolean hidden(char c) {
    return switch (Character.getType(c)) {
      case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      case Character.SPACE_SEPARATOR -> c != ' ';
      default -> false;
    };
  }
}
