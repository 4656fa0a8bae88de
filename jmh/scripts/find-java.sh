# Sourced by the scripts here: sets JAVA to a JDK 25's bin/java when it is not set (JAVA_HOME, then
# /usr/lib/jvm/*25*), or exits naming the script that needed it.
if [ -z "${JAVA:-}" ]; then
  for home in ${JAVA_HOME:-} /usr/lib/jvm/*25*; do
    if [ -x "$home/bin/java" ]; then JAVA="$home/bin/java"; break; fi
  done
fi
[ -n "${JAVA:-}" ] || { echo "$(basename "$0"): no JDK 25 found; set JAVA to its bin/java" >&2; exit 2; }
