#!/usr/bin/env bash
# Installs the Debian packages the tests need (scripts/system-packages.txt), as root on Debian; `npm test` runs it
# first (pretest) and so does .ci/run. Idempotent and quiet: when every package is present it only reads dpkg's
# database (well under a second). Where it cannot install (not root, not Debian, MULTINIC_NO_PROVISION=1) it says
# which packages are missing and exits 0: the tests that need them are skipped with the tool's name.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=${MULTINIC_PACKAGES_FILE:-$here/system-packages.txt}

say() { printf 'provision: %s\n' "$*" >&2; }

packages=()
while IFS= read -r line; do
  line=${line%%#*}
  read -r -a words <<<"$line"
  ((${#words[@]})) && packages+=("${words[@]}")
done <"$list"

# PyPI packages (scripts/python-packages.txt), for this machine's python3. Installed as root only, like the Debian
# ones (a user's pip install would write into their home and can take minutes); otherwise named, and skipped.
py_list=$here/python-packages.txt
if [[ -r $py_list && ${MULTINIC_NO_PROVISION:-} != 1 ]] && command -v python3 >/dev/null; then
  while IFS= read -r spec; do
    spec=${spec%%#*}
    spec=${spec//[[:space:]]/}
    [[ -n $spec ]] || continue
    python3 -c 'import importlib.metadata as m, sys; m.version(sys.argv[1])' "${spec%%==*}" 2>/dev/null && continue
    if [[ $(id -u) != 0 ]]; then
      say "not root: not installing $spec; the tests that need it are skipped (pip install $spec)"
      continue
    fi
    say "pip install $spec"
    python3 -m pip install -q --disable-pip-version-check "$spec" 2>/dev/null \
      || python3 -m pip install -q --disable-pip-version-check --break-system-packages "$spec" \
      || say "could not pip install $spec; the tests that need it are skipped"
  done <"$py_list"
fi

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
else
  missing=("${packages[@]}")
fi

# The VM test resolves Debian's cloud kernel with apt-cache and fetches it with apt-get download: it needs package
# lists even when every package is installed. Refresh them when there are none or they are older than a day.
lists_stale() {
  [[ -d /var/lib/apt/lists ]] || return 0
  [[ -n $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null) ]] && return 1
  return 0
}

cannot() {
  if ((${#missing[@]})); then
    say "$1: not installing ${missing[*]}; the tests that need them are skipped (as root: apt-get install ${missing[*]})"
  fi
  exit 0
}

if [[ ${MULTINIC_NO_PROVISION:-} == 1 ]]; then cannot 'MULTINIC_NO_PROVISION=1'; fi
if [[ ! -r /etc/debian_version ]] || ! command -v apt-get >/dev/null; then cannot 'not a Debian system'; fi
if [[ $(id -u) != 0 ]]; then cannot 'not root'; fi

if ((${#missing[@]} == 0)) && ! lists_stale; then exit 0; fi

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
apt-get -o DPkg::Lock::Timeout=600 update -qq
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2> >(grep -v '^debconf: delaying' >&2)
fi
