package dev.vmlp.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How messages quote text from a file: cut to a length, with what a terminal hides escaped. */
class ExcerptTest {
  @Test
  void textOfTheMostCharactersIsKeptWholeAndLongerTextIsCutToThem() {
    assertEquals("abcdefghij", Excerpt.of("abcdefghij", 10), "exactly the most is not cut");
    assertEquals("abcdefg...", Excerpt.of("abcdefghijk", 10), "one more: 7 characters and ...");
    assertEquals("abc", Excerpt.of("abc", 10));
    assertEquals(80, Excerpt.of("x".repeat(1000), 80).length());
  }

  @Test
  void controlAndHiddenCharactersAreWrittenAsEscapes() {
    assertEquals("a\\u001Bb\\u0000", Excerpt.of("a\u001bb\u0000", 80));
    assertEquals("\\uFEFF1.5\\u00A0\\u200B\\u202E\\u2028", Excerpt.of("\ufeff1.5\u00a0\u200b\u202e\u2028", 80));
    assertEquals("a b", Excerpt.of("a b", 80), "the ASCII space is itself");
  }

  @Test
  void aCutKeepsCharactersOutsideTheBmpWholeAndLoneSurrogatesAreEscaped() {
    String emoji = "\uD83D\uDE00"; // one character, two chars
    // 7 chars fit before the "...": three emoji and half of a fourth; the half goes
    assertEquals(emoji.repeat(3) + "...", Excerpt.of(emoji.repeat(6), 10));
    assertEquals("a" + emoji.repeat(3) + "...", Excerpt.of("a" + emoji.repeat(6), 10), "an even cut keeps a whole pair");
    assertEquals("a\\uD800b\\uDC00", Excerpt.of("a\uD800b\uDC00", 80));
    assertEquals(emoji, Excerpt.of(emoji, 80));
  }
}
