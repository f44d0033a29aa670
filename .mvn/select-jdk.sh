# Sourced (POSIX sh) by ./mvnw and ./stampede: makes JAVA_HOME name a JDK of at least
# STAMPEDE_MIN_JAVA (21: Tycho 5 and the bundles need it). Looks at JAVA_HOME, the `java` on PATH,
# then the JDKs installed in the usual places, newest first. Fails with a clear message if none fits.
STAMPEDE_MIN_JAVA=${STAMPEDE_MIN_JAVA:-21}

stampede_jdk_major() {
  # $1: a JDK home. Prints its major version, or nothing when it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
  fi
  [ "$v" = 1 ] && v=8
  printf '%s' "$v"
}

stampede_select_jdk() {
  for candidate in "${JAVA_HOME-}" \
      "$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
    [ -n "$candidate" ] || continue
    m=$(stampede_jdk_major "$candidate")
    if [ -n "$m" ] && [ "$m" -ge "$STAMPEDE_MIN_JAVA" ]; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  done
  best=; best_m=0
  case $- in *f*) noglob=1; set +f ;; *) noglob= ;; esac  # mvnw runs with globbing off
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$candidate" ] || continue
    m=$(stampede_jdk_major "$candidate")
    if [ -n "$m" ] && [ "$m" -ge "$STAMPEDE_MIN_JAVA" ] && [ "$m" -gt "$best_m" ]; then best=$candidate; best_m=$m; fi
  done
  [ -z "$noglob" ] || set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "error: no JDK $STAMPEDE_MIN_JAVA or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME" >&2
  return 1
}
