# Sourced by the scripts here: sets JAVA to the bin/java of a JDK 25 or newer when JAVA is not set, as
# bin/vmlp picks: JAVA_HOME when it is one, else the newest in the usual places (/usr/lib/jvm, /usr/java,
# /opt/java, /opt/jdk*, SDKMAN's, ~/.jdks, macOS's), else java on PATH; or exits naming the script that
# needed it.
if [ -z "${JAVA:-}" ]; then
  best_major=0
  # JAVA_HOME is quoted apart from the globs: it may hold spaces
  for home in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/java" ] || continue
    major="$("$home/bin/java" -version 2>&1 | sed -n 's/^[^"]* version "\([0-9]*\).*/\1/p' | head -n 1)" || true
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      JAVA="$home/bin/java"
      best_major="$major"
      [ "$home" = "${JAVA_HOME:-}" ] && break # JAVA_HOME wins when it is a JDK 25 or newer
    fi
  done
  if [ -z "${JAVA:-}" ] && home="$(command -v java 2>/dev/null)"; then
    major="$("$home" -version 2>&1 | sed -n 's/^[^"]* version "\([0-9]*\).*/\1/p' | head -n 1)" || true
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then JAVA="$home"; fi
  fi
fi
[ -n "${JAVA:-}" ] || { echo "$(basename "$0"): no JDK 25 or newer found; set JAVA to its bin/java" >&2; exit 2; }
