# shellcheck shell=bash disable=SC2034 # its results are globals that other parts read (the inlined whole is checked without this)
# changes.sh (part of multinic-eni.sh): every change to the node goes through these, so --dry-run prints exactly
# them and CHANGES counts them. ip commands are queued and applied with one `ip -batch` per ENI: an ip process costs
# about 10 ms, and seven ENIs need over a hundred commands on the first run.

CHANGES=0
BATCH=''
FLUSH_ERROR=''
ipq() { # ipq ARGS...: queue `ip ARGS...`
  CHANGES=$((CHANGES + 1))
  BATCH+="$*"$'\n'
}
flush_ip() { # apply the queued ip commands in order; FLUSH_ERROR is empty on success
  FLUSH_ERROR=''
  [[ -n $BATCH ]] || return 0
  local line out rc=0
  if ((DRY_RUN)); then
    while read -r line; do [[ -z $line ]] || printf 'ip %s\n' "$line"; done <<<"$BATCH"
  else
    out=$(ip -batch - <<<"$BATCH" 2>&1) || rc=$?
    ((rc == 0)) || FLUSH_ERROR=${out//$'\n'/; }
  fi
  BATCH=''
}

# write_file PATH CONTENT: atomically replace PATH if its content differs (CONTENT gets a trailing newline).
write_file() {
  local path=$1 content=$2 current=''
  if [[ -f $path ]]; then current=$(<"$path"); fi
  [[ $current == "$content" ]] && return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'write %s\n' "$path"
    return 0
  fi
  mkdir -p "${path%/*}"
  printf '%s\n' "$content" >"$path.tmp.$$"
  mv -f "$path.tmp.$$" "$path"
}

remove_file() {
  [[ -e $1 ]] || return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'rm -f %s\n' "$1"
  else
    rm -f "$1"
  fi
}

set_sysctl() { # set_sysctl PATH VALUE (PATH under /proc/sys, which is per network namespace)
  local path=$1 value=$2 current=''
  if [[ -r $path ]]; then current=$(<"$path"); fi
  [[ $current == "$value" ]] && return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'echo %s > %s\n' "$value" "$path"
  else
    printf '%s\n' "$value" >"$path"
  fi
}
