# Sourced by the scripts here, from the repository root: builds the jars when missing or stale
# (bin/vmlp does that, and finds the JDK), then sets JAVA (find-java.sh), CLI_JAR (the command line's
# self-contained jar, which holds the benchmarks too) and JMH_JAR (the benchmarks alone), the newest
# of each; exits naming the script and the jar when one is missing.
bin/vmlp --help >/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/find-java.sh"
source "$(dirname "${BASH_SOURCE[0]}")/utf8-locale.sh"   # java reads file names in UTF-8
CLI_JAR="$(ls -t cli/target/vmlp-cli-*-all.jar 2>/dev/null | head -n 1 || true)"
JMH_JAR="$(ls -t jmh/target/vmlp-jmh-*-benchmarks.jar 2>/dev/null | head -n 1 || true)"
for jar in "cli/target/vmlp-cli-*-all.jar:$CLI_JAR" "jmh/target/vmlp-jmh-*-benchmarks.jar:$JMH_JAR"; do
  [ -n "${jar#*:}" ] || { echo "$(basename "$0"): no ${jar%%:*} after the build" >&2; exit 2; }
done
