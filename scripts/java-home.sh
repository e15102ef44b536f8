# Sourced by ./pipeline and .ci/run: selects a JDK 21+ (the registry and the build need it)
# and exports JAVA_HOME. Keeps a JAVA_HOME that is already 21+; otherwise takes the newest
# JDK found under /usr/lib/jvm (or /Library/Java/JavaVirtualMachines on macOS).

java_major() { # prints the major version of the java binary $1
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

select_jdk() {
  local candidate best="" best_major=0 major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 21+, and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
JAVA_MAJOR=$(java_major "$JAVA_HOME/bin/java")
export JAVA_MAJOR
