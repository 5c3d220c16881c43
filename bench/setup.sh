#!/usr/bin/env bash
# The benchmark's peers and tools, from Debian's packages: curl, Prometheus blackbox_exporter,
# and GNU time (peak RSS). Installs what is missing when run as root; otherwise says what to install.
set -u
missing=()
command -v curl >/dev/null || missing+=(curl)
command -v prometheus-blackbox-exporter >/dev/null || missing+=(prometheus-blackbox-exporter)
[ -x /usr/bin/time ] || missing+=(time)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "bench setup: not installed: ${missing[*]} (apt-get install ${missing[*]}); those comparisons are skipped" >&2
fi
exit 0
