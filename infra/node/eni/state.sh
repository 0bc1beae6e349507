# shellcheck shell=bash
# state.sh (part of multinic-eni.sh): what a run leaves behind: stale rules, tables and files of gone ENIs removed,
# the manifest of the files it manages, and the readiness marker.

MANIFEST_OLD='' # the manifest as the previous run left it (read by load_manifest)
declare -a WRITTEN=() # every file this run wrote or found as it should be

load_manifest() {
  if [[ -f $STATE_DIR/$MANIFEST_NAME ]]; then MANIFEST_OLD=$(<"$STATE_DIR/$MANIFEST_NAME"); fi
}

# What belongs to ENIs that are gone: rules and tables in our range of no live ENI, files written before and not now.
cleanup_stale() {
  local -A live=()
  local mac p from t listing f keep
  for mac in "${ENI_MACS[@]}"; do live[${E_TABLE[$mac]}]=1; done
  while read -r p from t; do
    [[ -z $p || -n ${live[$t]:-} ]] && continue
    ipq rule del pref "$p" from "$from" lookup "$t"
  done <<<"$RULES"
  listing=$(ip -4 route show table all)
  listing=$(awk -v lo=$((TABLE_BASE + 1)) -v hi="$TABLE_MAX" '
    { for (i = 1; i < NF; i++) if ($i == "table" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) + 0 >= lo && $(i + 1) + 0 <= hi) print $(i + 1) }' <<<"$listing")
  local -A flushed=()
  for t in $listing; do
    [[ -n ${live[$t]:-} || -n ${flushed[$t]:-} ]] && continue
    flushed[$t]=1
    ipq route flush table "$t"
  done
  while read -r f; do
    [[ -n $f ]] || continue
    keep=0
    for p in "${WRITTEN[@]}"; do [[ $p == "$f" ]] && keep=1; done
    ((keep)) || remove_file "$f"
  done <<<"$MANIFEST_OLD"
  flush_ip
  [[ -z $FLUSH_ERROR ]] || die 1 "removing the rules and tables of gone ENIs failed: $FLUSH_ERROR"
}

# The manifest lists the files this script manages. After a failure it keeps the old entries too, so a transient
# failure removes nothing; the next good run removes what is stale.
save_manifest() {
  local -A seen=()
  local content='' f
  local -a all=("${WRITTEN[@]}")
  if ((FAILURES)); then
    while read -r f; do all+=("$f"); done <<<"$MANIFEST_OLD"
  fi
  for f in "${all[@]}"; do
    [[ -n $f && -z ${seen[$f]:-} ]] || continue
    seen[$f]=1
    content+="${content:+$'\n'}$f"
  done
  write_file "$STATE_DIR/$MANIFEST_NAME" "$content"
}

# The readiness contract (lib/readiness.ts, ENI_READY_MARKER): the marker exists only while the last run configured
# every ENI; the node's startup taint is removed once it exists. Not counted as a change: it is state, not config.
mark_ready() {
  local marker="$RUN_DIR/$READY_MARKER_NAME"
  if ((FAILURES)); then
    rm -f "$marker"
  else
    printf 'enis=%s\n' "${#ENI_MACS[@]}" >"$marker.tmp.$$"
    mv -f "$marker.tmp.$$" "$marker"
  fi
}
