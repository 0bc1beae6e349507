# shellcheck shell=bash
# lock.sh (part of multinic-eni.sh): udev starts a run per hot-plugged NIC and the boot unit one more; they must not
# interleave. mkdir is atomic; a lock whose owner is gone is taken over. cleanup() runs on exit.

LOCK=''
acquire_lock() {
  local deadline owner
  mkdir -p "$RUN_DIR"
  deadline=$((SECONDS + LOCK_WAIT))
  until mkdir "$RUN_DIR/$LOCK_NAME" 2>/dev/null; do
    owner=''
    if [[ -r $RUN_DIR/$LOCK_NAME/pid ]]; then owner=$(<"$RUN_DIR/$LOCK_NAME/pid"); fi
    if [[ -n $owner ]] && ! kill -0 "$owner" 2>/dev/null; then
      log "taking over the lock of run $owner, which is gone"
      rm -rf "${RUN_DIR:?}/$LOCK_NAME"
      continue
    fi
    ((SECONDS < deadline)) || die 4 "another run (pid ${owner:-?}) has held $RUN_DIR/$LOCK_NAME for more than ${LOCK_WAIT}s"
    sleep 0.1
  done
  LOCK="$RUN_DIR/$LOCK_NAME"
  echo $$ >"$LOCK/pid"
}

TMP=''
cleanup() {
  [[ -z $TMP ]] || rm -rf "$TMP"
  [[ -z $LOCK ]] || rm -rf "$LOCK"
}
