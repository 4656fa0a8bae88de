package dev.vmlp.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (under the core's {@code System.getLogger("dev.vmlp")}) to one line per
 * record on stderr: {@code vmlp: <message>}.
 */
final class Logs {
  /** Held strongly: java.util.logging keeps loggers only weakly, and would forget their settings. */
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger VMLP = Logger.getLogger("dev.vmlp");
  private static final Logger JLINE = Logger.getLogger("org.jline");

  private Logs() {}

  /** Replaces every root handler with one that prints to {@code err}: INFO and above, or WARNING and above when quiet. */
  static synchronized void configure(PrintStream err, boolean quiet) {
    Level level = quiet ? Level.WARNING : Level.INFO;
    for (Handler h : ROOT.getHandlers()) {
      ROOT.removeHandler(h);
    }
    Handler handler = new LineHandler(err);
    handler.setLevel(level);
    ROOT.addHandler(handler);
    ROOT.setLevel(level);
    VMLP.setLevel(level);
    // The terminal library behind the progress bar reports its own fallbacks; they are not ours to show.
    JLINE.setLevel(Level.SEVERE);
  }

  private static final class LineHandler extends Handler {
    private final PrintStream err;

    LineHandler(PrintStream err) {
      this.err = err;
      setFormatter(new Formatter() {
        @Override
        public String format(LogRecord r) {
          String msg = formatMessage(r);
          if (r.getThrown() != null) {
            msg += ": " + Errors.describe(r.getThrown());
          }
          msg = Errors.oneLine(msg);
          return msg.startsWith("vmlp ") ? msg : "vmlp: " + msg; // the library's own lines name it already
        }
      });
    }

    @Override
    public void publish(LogRecord r) {
      if (isLoggable(r)) {
        err.println(getFormatter().format(r));
        err.flush();
      }
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
