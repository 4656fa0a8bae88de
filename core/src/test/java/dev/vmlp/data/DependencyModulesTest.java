package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jars that Maven gives an application depending on vmlp-core resolve as modules: the core jar
 * names itself {@code dev.vmlp.core} so that a modular application can require it, and that application
 * then puts core's dependencies on its module path too, where every module they require must be there.
 */
class DependencyModulesTest {
  /** Core's runtime dependencies on this test's class path (Jackson, Commons Compress and theirs). */
  private static Path[] runtimeJars() {
    return runtimeJars(System.getProperty("java.class.path"), File.pathSeparator).stream()
        .map(Path::of)
        .toArray(Path[]::new);
  }

  /**
   * The jars of Jackson and Apache Commons on {@code classPath}, told by their file names: the folders
   * of a path are written with backslashes on Windows, and another repository layout has other folders.
   */
  static List<String> runtimeJars(String classPath, String separator) {
    return Arrays.stream(classPath.split(java.util.regex.Pattern.quote(separator)))
        .filter(p -> p.endsWith(".jar"))
        .filter(p -> {
          String name = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
          return name.startsWith("jackson-") || name.startsWith("commons-");
        })
        .toList();
  }

  @Test
  void theJarsAreFoundOnAWindowsClassPath() {
    String m2 = "C:\\Users\\u\\.m2\\repository\\";
    String compress = m2 + "org\\apache\\commons\\commons-compress\\1.28.0\\commons-compress-1.28.0.jar";
    String csv = m2 + "com\\fasterxml\\jackson\\dataformat\\jackson-dataformat-csv\\2.20.0\\"
        + "jackson-dataformat-csv-2.20.0.jar";
    String junit = m2 + "org\\junit\\jupiter\\junit-jupiter-api\\5.13.4\\junit-jupiter-api-5.13.4.jar";
    assertEquals(List.of(compress, csv), runtimeJars("C:\\vmlp\\core\\target\\classes;" + compress + ";" + junit
        + ";" + csv, ";"));
  }

  @Test
  void theReadersDependenciesResolveAsModules() {
    Path[] jars = runtimeJars();
    assertTrue(Arrays.stream(jars).anyMatch(p -> p.toString().contains("commons-compress")),
        "commons-compress is not on the class path: " + List.of(jars));
    assertFalse(ModuleFinder.of(jars).find("org.apache.commons.compress").isEmpty());
    // Commons Compress's module-info requires commons-codec (for its lz4 and snappy streams): without
    // it on the module path the boot layer does not start
    assertDoesNotThrow(() -> Configuration.resolve(ModuleFinder.of(jars),
        List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(),
        Set.of("org.apache.commons.compress", "com.fasterxml.jackson.dataformat.csv")));
  }
}
