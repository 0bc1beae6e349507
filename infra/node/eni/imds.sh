# shellcheck shell=bash disable=SC2034 # its results are globals that other parts read (the inlined whole is checked without this)
# imds.sh (part of multinic-eni.sh): IMDSv2, with bounded retries.

TOKEN='' BODY='' CODE='' LAST_ERROR=''

# http METHOD PATH [curl args...]: one attempt; sets BODY and CODE (000 when curl itself failed).
http() {
  local method=$1 path=$2 out rc=0
  shift 2
  out=$(curl -sS --noproxy '*' --connect-timeout "$IMDS_TIMEOUT" --max-time "$IMDS_TIMEOUT" -X "$method" "$@" \
    -w '\n%{http_code}' "$IMDS$path" 2>&1) || rc=$?
  if ((rc != 0)); then
    LAST_ERROR="curl exit $rc: ${out%%$'\n'*}"
    BODY='' CODE=000
    return 0
  fi
  BODY=${out%$'\n'*} CODE=${out##*$'\n'}
}

get_token() {
  local attempt
  for ((attempt = 1; attempt <= IMDS_ATTEMPTS; attempt++)); do
    http PUT /latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300'
    if [[ $CODE == 200 && -n $BODY ]]; then
      TOKEN=$BODY
      return 0
    fi
    [[ $CODE == 000 ]] || LAST_ERROR="HTTP $CODE on PUT /latest/api/token"
    ((attempt == IMDS_ATTEMPTS)) || sleep "$IMDS_RETRY_DELAY"
  done
  die 3 "IMDS unreachable at $IMDS after $IMDS_ATTEMPTS attempts ($LAST_ERROR); is the metadata service enabled with IMDSv2?"
}

# fetch KEY...: GET every meta-data KEY in one curl process over one connection (a curl process costs about 30 ms);
# sets R_CODE[i] (200 or 404) and R_BODY[i] in KEY order. The whole set is retried while an answer is anything
# else (401: with a new token); after IMDS_ATTEMPTS the run ends with exit 3.
declare -a R_CODE=() R_BODY=()
fetch() {
  local -a keys=("$@") args=()
  local attempt i out rc bad
  for ((attempt = 1; ; attempt++)); do
    args=()
    for i in "${!keys[@]}"; do
      : >"$TMP/body.$i" # curl may not create the file for an empty body: never read an older answer
      args+=(-o "$TMP/body.$i" "$IMDS/latest/meta-data/${keys[$i]}")
    done
    rc=0
    out=$(curl -sS --noproxy '*' --connect-timeout "$IMDS_TIMEOUT" --max-time "$IMDS_TIMEOUT" \
      -H "X-aws-ec2-metadata-token: $TOKEN" -w '%{http_code}\n' "${args[@]}" 2>"$TMP/curl.err") || rc=$?
    mapfile -t R_CODE <<<"$out"
    R_BODY=() bad=''
    for i in "${!keys[@]}"; do
      R_BODY[i]=''
      case ${R_CODE[i]:-000} in
        200) read -r -d '' "R_BODY[i]" <"$TMP/body.$i" || true ;;
        404) ;;
        *) bad="HTTP ${R_CODE[i]:-000} on GET meta-data/${keys[i]}" ;;
      esac
    done
    [[ -n $bad ]] || return 0
    if ((rc != 0)); then
      read -r -d '' out <"$TMP/curl.err" || true
      bad="curl exit $rc: ${out%%$'\n'*}"
    fi
    ((attempt < IMDS_ATTEMPTS)) || die 3 "IMDS at $IMDS: no answer after $IMDS_ATTEMPTS attempts ($bad)"
    [[ $bad != *"HTTP 401 "* ]] || get_token # the token expired
    sleep "$IMDS_RETRY_DELAY"
  done
}
