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
   * not read as one.
   */
  public static String of(String s, int max) {
    String cut = s.length() <= max ? s : s.substring(0, max - 3) + "...";
    StringBuilder b = null;
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (Character.isISOControl(c) || hidden(c)) {
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

  /** Whether {@code c} shows as nothing, as another character, or not on the line where it is. */
  private static boolean hidden(char c) {
    return switch (Character.getType(c)) {
      case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      case Character.SPACE_SEPARATOR -> c != ' ';
      default -> false;
    };
  }
}
