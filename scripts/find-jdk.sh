#!/usr/bin/env bash
# Prints the path of the `java` of a JDK 21 or later (Helidon 4 needs it): JAVA_HOME's when it is one, else
# the newest under /usr/lib/jvm. Says which on stderr; exits 1 with advice when there is none.
# The one way .ci/run, run-local.sh and bench/run.sh find their JDK:
#   JAVA=$(scripts/find-jdk.sh) || exit 1
set -euo pipefail

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

found="" found_major=0
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  major=$(java_major "$JAVA_HOME/bin/java")
  if [[ "${major:-0}" -ge 21 ]]; then
    found="$JAVA_HOME/bin/java" found_major=$major
  else
    echo "JAVA_HOME=$JAVA_HOME is Java ${major:-?}; looking for Java 21 or later under /usr/lib/jvm" >&2
  fi
fi
if [[ -z "$found" ]]; then
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major=$(java_major "$candidate")
    if [[ "${major:-0}" -ge 21 && "$major" -gt "$found_major" ]]; then
      found="$candidate" found_major=$major
    fi
  done
fi
if [[ -z "$found" ]]; then
  echo "error: no JDK 21 or later found (looked at JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 25) or set JAVA_HOME to it." >&2
  exit 1
fi
echo "Using $found (Java $found_major)" >&2
echo "$found"
