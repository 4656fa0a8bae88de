package dev.vmlp.cli;

import dev.vmlp.NonFiniteException;
import dev.vmlp.TrainingDivergedException;
import dev.vmlp.internal.text.Excerpt;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** Turns exceptions into one {@code vmlp: error: ...} line and an exit code. */
final class Errors {
  static final String PREFIX = "vmlp: error: ";

  private Errors() {}

  /** A bad command line: one error line, a hint, exit code 2. */
  static int usage(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    ParameterException shown = unknownOptionFirst(ex, cl);
    String message = shown instanceof CommandLine.UnmatchedArgumentException u
        ? unmatchedText(u, shown.getCommandLine(), args) : null;
    if (message == null) {
      message = lowerFirst(stripErrorPrefix(shown.getMessage()));
    }
    if (ex instanceof CommandLine.MaxValuesExceededException && message.startsWith("expected only one match")) {
      // picocli lists the whole groups when a CSV pair meets another data option, or when an option of the
      // group comes twice (--data DIR --data DIR is one source, named twice); say which plainly
      String repeated = repeatedGroupOption(cl.getCommandSpec(), args);
      message = repeated != null ? "option " + repeated + " should be specified only once"
          : "give one data source: " + (cl.getCommandSpec().name().equals("train")
              ? "--dataset NAME, --data DIR or --train FILE --test FILE" : "--dataset NAME, --data DIR or --test FILE")
              + "; they are mutually exclusive";
    }
    String csvOnly = csvOnlyOption(args);
    boolean csvFileGiven = Arrays.stream(args).anyMatch(a -> a.matches("--(train|test)(=.*)?"));
    if (message != null && message.startsWith("missing required argument(s): --t") && csvOnly != null
        && !csvFileGiven) {
      // the CSV options form a group that requires its files: picocli then asks for the files alone
      message = csvOnly + " is for CSV input, given with " + (cl.getCommandSpec().name().equals("train")
          ? "--train FILE --test FILE" : "--test FILE") + "; it does not apply to --data or --dataset";
    }
    err.println(PREFIX + oneLine(message));
    err.println("Try '" + shown.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return Main.EXIT_USAGE;
  }

  /**
   * {@code ex}, or, where picocli met an argument it does not know (a mistyped option) and then missed a
   * required option, the error for that argument: {@code eval --modle m.safetensors} said only "missing
   * required option: '--model=FILE'", never naming the option typed.
   */
  private static ParameterException unknownOptionFirst(ParameterException ex, CommandLine cl) {
    if (!(ex instanceof CommandLine.MissingParameterException)) {
      return ex;
    }
    // the command's own unknown options, or else those given before the command ('vmlp --model m eval' said
    // "missing required option: '--model=FILE'")
    for (CommandLine c = cl; c != null; c = c.getParent()) {
      List<String> unmatched = c.getUnmatchedArguments();
      if (unmatched.stream().anyMatch(Errors::looksLikeAnOption)) {
        return new CommandLine.UnmatchedArgumentException(c, unmatched);
      }
    }
    return ex;
  }

  /**
   * Arguments that picocli could not place, said as what they are, or null for picocli's own message (an
   * argument after a command's options, which take no others): the unknown options alone, with the option
   * the first may be a typo of (picocli counted the value after one as another unknown option: "unknown
   * options: '--epoch', '5'"); a word where the command goes is an unknown command, with the commands
   * (picocli said "unmatched argument at index 0: 'help'"). An option is named without the value that
   * {@code --name=value} gives it. Arguments after {@code --} are arguments, whatever they look like (picocli
   * called {@code train -- --epoch} an unknown option).
   */
  private static String unmatchedText(CommandLine.UnmatchedArgumentException u, CommandLine cl, String[] args) {
    List<String> unmatched = u.getUnmatched();
    if (unmatched.isEmpty()) {
      return null;
    }
    List<String> given = Arrays.asList(args);
    int end = given.indexOf("--");
    List<String> beforeEnd = end < 0 ? given : given.subList(0, end);
    List<String> afterEnd = end < 0 ? List.of() : given.subList(end + 1, args.length);
    if (!afterEnd.isEmpty() && unmatched.size() >= afterEnd.size()
        && unmatched.subList(unmatched.size() - afterEnd.size(), unmatched.size()).equals(afterEnd)) {
      if (unmatched.size() == afterEnd.size()) {
        // as picocli says of an argument that does not look like an option
        return (afterEnd.size() == 1 ? "unmatched argument at index " : "unmatched arguments from index ") + (end + 1)
            + ": '" + String.join("', '", afterEnd) + "'";
      }
      unmatched = unmatched.subList(0, unmatched.size() - afterEnd.size()); // the unknown options come first
    }
    List<String> suggestions = u.getSuggestions();
    String maybe = suggestions.isEmpty() ? ""
        : " (did you mean '" + String.join("' or '", suggestions.subList(0, Math.min(3, suggestions.size()))) + "'?)";
    if (looksLikeAnOption(unmatched.get(0))) {
      List<String> options = unmatched.stream().filter(Errors::looksLikeAnOption).map(Errors::optionName)
          .map(o -> o + "'" + ownerText(o, cl, beforeEnd))
          .toList();
      return (options.size() == 1 ? "unknown option: '" : "unknown options: '") + String.join(", '", options)
          + maybe;
    }
    if (cl.getParent() == null && !cl.getSubcommands().isEmpty()
        && !cl.getSubcommands().containsKey(unmatched.get(0))) { // a command's name after "--" is not unknown
      return "unknown command: '" + unmatched.get(0) + "'" + maybe + "; the commands are "
          + inWords(List.copyOf(cl.getSubcommands().keySet()));
    }
    return null;
  }

  /**
   * Where {@code option}, unknown to the command {@code cl} before its command, belongs: " (an option of 'vmlp
   * train': put it after the command)" of the command that follows in {@code args}, or else of every command
   * that has it; "" where none does or {@code cl} is a command. {@code vmlp --json train} said only "unknown
   * option: '--json'".
   */
  private static String ownerText(String option, CommandLine cl, List<String> args) {
    if (cl.getParent() != null || cl.getSubcommands().isEmpty()) {
      return "";
    }
    Map<String, CommandLine> commands = cl.getSubcommands();
    List<String> owners = args.stream().filter(commands::containsKey).limit(1)
        .filter(c -> commands.get(c).getCommandSpec().optionsMap().containsKey(option)).toList();
    if (owners.isEmpty()) {
      owners = commands.keySet().stream()
          .filter(c -> commands.get(c).getCommandSpec().optionsMap().containsKey(option)).toList();
    }
    if (owners.isEmpty()) {
      return "";
    }
    List<String> names = owners.stream()
        .map(c -> "'" + commands.get(c).getCommandSpec().qualifiedName() + "'").toList();
    return " (an option of " + inWords(names) + ": put it after the command)";
  }

  /** {@code words} as a list in prose: "a", "a and b", "a, b and c". */
  private static String inWords(List<String> words) {
    return words.size() == 1 ? words.getFirst()
        : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.getLast();
  }

  /** The option {@code arg} names: {@code --epoch} of {@code --epoch=5}. */
  private static String optionName(String arg) {
    int eq = arg.indexOf('=');
    return eq > 1 ? arg.substring(0, eq) : arg;
  }

  /** Whether {@code arg} reads as an option's name: a dash and a letter, not a negative number or {@code -}. */
  private static boolean looksLikeAnOption(String arg) {
    return arg.length() > 1 && arg.charAt(0) == '-' && !Character.isDigit(arg.charAt(1)) && arg.charAt(1) != '.';
  }

  /**
   * The first option of one of {@code spec}'s argument groups that {@code args} give a second time, as
   * picocli names a repeated option ({@code '--data' (DIR)}), or null.
   */
  private static String repeatedGroupOption(CommandSpec spec, String[] args) {
    java.util.Set<OptionSpec> seen = new java.util.HashSet<>();
    for (String a : args) {
      for (ArgGroupSpec group : spec.argGroups()) {
        for (OptionSpec o : group.allOptionsNested()) {
          for (String name : o.names()) {
            if ((a.equals(name) || a.startsWith(name + "=")) && !seen.add(o)) {
              return "'" + name + "'" + (o.arity().max() > 0 ? " (" + o.paramLabel() + ")" : "");
            }
          }
        }
      }
    }
    return null;
  }

  /** The first option of the command line that only CSV input takes, or null. */
  private static String csvOnlyOption(String[] args) {
    for (String a : args) {
      for (String option : new String[] {"--label-column", "--standardize"}) {
        if (a.equals(option) || a.startsWith(option + "=")) {
          return option;
        }
      }
    }
    return null;
  }

  /** A failure while a command ran: one error line (and the stack trace of unexpected ones with --verbose). */
  static int failure(Exception e, PrintStream err, boolean verbose) {
    err.println(PREFIX + oneLine(describe(e)));
    if (verbose && !expected(e)) {
      e.printStackTrace(err);
    }
    err.flush();
    return Main.EXIT_FAILURE;
  }

  /** Whether {@code e} is a failure the user can act on from its message alone. */
  static boolean expected(Throwable e) {
    return e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException
        || e instanceof TrainingDivergedException
        || e instanceof NonFiniteException;
  }

  /** A message for the user: file system errors name the file and the problem. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return describe(u.getCause());
    }
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String what = switch (f) {
        case NoSuchFileException _ -> "no such file or folder";
        case AccessDeniedException _ -> "permission denied";
        case NotDirectoryException _ -> "not a folder";
        case FileAlreadyExistsException _ -> "already exists";
        default -> "cannot access";
      };
      return f.getFile() + ": " + what + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
    }
    String msg = e.getMessage();
    if (expected(e) && msg != null && !msg.isBlank()) {
      return msg;
    }
    // Unexpected: name the kind of failure too, since the message alone may not explain it.
    return msg == null || msg.isBlank()
        ? e.getClass().getSimpleName() + " (run with --verbose for details)"
        : msg + " (" + e.getClass().getSimpleName() + ")";
  }

  /** {@code n} and its noun, in the plural unless {@code n} is 1: "1 feature", "2 features". */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * {@code s} on one line, with the control and invisible characters that remain (of a file name or an
   * argument: an escape sequence, a right-to-left override) written as escapes, as values from files are.
   */
  static String oneLine(String s) {
    return s == null ? "" : Excerpt.of(s.strip().replaceAll("\\s*\\R\\s*", "; "), Integer.MAX_VALUE);
  }

  /**
   * A name from the command line or a file (a dataset, a path) as the commands' own lines print it: control
   * and invisible characters written as escapes, as {@link #oneLine} does in error lines, so that a name
   * cannot send escape sequences to the terminal.
   */
  static String shown(Object name) {
    return Excerpt.of(name.toString(), Integer.MAX_VALUE);
  }

  /** Some picocli messages start with their own "Error: ". */
  private static String stripErrorPrefix(String s) {
    return s != null && s.regionMatches(true, 0, "error: ", 0, 7) ? s.substring(7) : s;
  }

  /** "Unknown option" becomes "unknown option"; "CSV ..." stays. */
  private static String lowerFirst(String s) {
    if (s == null || s.length() < 2 || !Character.isUpperCase(s.charAt(0)) || !Character.isLowerCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
