#!/usr/bin/env bash
# Installs the system packages the test suite needs, once: Java 17 for HermiT, Debian's OWL API
# (the library Protégé is built on), Virtuoso Open Source for the remote-store tests and Chromium
# for the browser tests.
# Idempotent: it installs only what is missing. Needs root (as on these machines and CI).
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
[ -e /usr/share/java/owlapi-distribution.jar ] || ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 || need+=(libowlapi-java)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)   # browser tests (Playwright drives it)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
