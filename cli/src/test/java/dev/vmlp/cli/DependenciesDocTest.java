package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/decisions.md's "Dependencies" table names every library the modules' POMs declare, each with the
 * version the parent POM sets ({@code version.*}, plugins apart).
 */
class DependenciesDocTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The rows of the table under "## Dependencies", each cell trimmed. */
  static List<String[]> rows() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/decisions.md"));
    int at = doc.indexOf("\n## Dependencies\n");
    assertTrue(at >= 0, "decisions.md has a Dependencies section");
    int end = doc.indexOf("\n## ", at + 1);
    List<String[]> rows = new ArrayList<>();
    for (String line : doc.substring(at, end < 0 ? doc.length() : end).split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| dependency ") && !line.startsWith("|---")) {
        String[] cells = line.substring(1, line.length() - 1).split("\\|");
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cells[i].strip();
        }
        rows.add(cells);
      }
    }
    return rows;
  }

  @Test
  void everyVersionThePomSetsIsTheTablesVersionOfItsDependency() throws IOException {
    List<String[]> rows = rows();
    assertFalse(rows.isEmpty(), "the Dependencies table has rows");
    Matcher m = Pattern.compile("<version\\.([A-Za-z0-9.-]+)>([^<]+)</version\\.").matcher(
        Files.readString(ROOT.resolve("pom.xml")));
    int checked = 0;
    while (m.find()) {
      String name = m.group(1);
      String version = m.group(2).strip();
      if (name.contains("plugin")) {
        continue;
      }
      String key = name.replace('-', ' ').toLowerCase(Locale.ROOT);
      String[] row = rows.stream()
          .filter(r -> r[0].toLowerCase(Locale.ROOT).replace('-', ' ').contains(key))
          .findFirst().orElse(null);
      assertTrue(row != null, "decisions.md's Dependencies table has a row for version." + name);
      assertTrue(List.of(row[1].split(",\\s*")).contains(version),
          "decisions.md gives " + row[0] + " version '" + row[1] + "', the POM " + name + " " + version);
      checked++;
    }
    assertTrue(checked >= 10, "the POM's library versions were found: " + checked);
  }

  @Test
  void everyDependencyOfTheModulesIsInTheTable() throws IOException {
    String table = String.join("\n", rows().stream().map(r -> r[0]).toList()).toLowerCase(Locale.ROOT);
    Pattern dependency = Pattern.compile(
        "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>");
    List<String> missing = new ArrayList<>();
    for (String module : List.of("core", "simd", "jmh", "cli")) {
      Matcher m = dependency.matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
      while (m.find()) {
        if (!m.group(1).equals("dev.vmlp") && !table.contains(m.group(2).toLowerCase(Locale.ROOT))) {
          missing.add(m.group(1) + ":" + m.group(2) + " (" + module + "/pom.xml)");
        }
      }
    }
    assertTrue(missing.isEmpty(), "decisions.md's Dependencies table lacks " + missing);
  }
}
