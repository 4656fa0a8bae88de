# Sourced by the scripts here: sets JAVA to the bin/java of a JDK 25 or newer when JAVA is not set:
# JAVA_HOME when it is one, else the newest under /usr/lib/jvm (as bin/vmlp picks); or exits naming
# the script that needed it.
if [ -z "${JAVA:-}" ]; then
  best_major=0
  for home in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/*; do  # JAVA_HOME quoted: it may hold spaces
    [ -x "$home/bin/java" ] || continue
    major="$("$home/bin/java" -version 2>&1 | sed -n 's/^[^"]* version "\([0-9]*\).*/\1/p' | head -n 1)" || true
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      JAVA="$home/bin/java"
      best_major="$major"
      [ "$home" = "${JAVA_HOME:-}" ] && break # JAVA_HOME wins when it is a JDK 25 or newer
    fi
  done
fi
[ -n "${JAVA:-}" ] || { echo "$(basename "$0"): no JDK 25 or newer found; set JAVA to its bin/java" >&2; exit 2; }
