# Sourced by the scripts here that run java. Java reads file names in the locale's character set, ASCII
# in the C (POSIX) locale: in a clone whose path has other letters ('it's ü') it then found no class in
# the jar. Java gets the C locale in UTF-8 then, where the system has one (as in bin/vmlp).
case "$(locale charmap 2>/dev/null)" in
  ANSI_X3.4-1968 | US-ASCII | ASCII)
    if [ "$(LC_ALL=C.UTF-8 locale charmap 2>/dev/null)" = UTF-8 ]; then
      if [ -n "${LC_ALL:-}" ]; then export LC_ALL=C.UTF-8; else export LC_CTYPE=C.UTF-8; fi
    fi ;;
esac
