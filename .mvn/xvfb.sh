# Sourced (POSIX sh) by ./mvnw. The UI tests, the GUI product test and the IDE install test need an X display.
# When DISPLAY is unset and Xvfb is installed, starts a private Xvfb for this build and exports DISPLAY. The
# server stops when the build does (mvnw execs Maven under the same pid, which the watchdog polls) and after 6
# hours in any case. STAMPEDE_XVFB=0 turns this off. Without a display the UI tests are skipped (the
# `no-display` profile in pom.xml) and this says why.
stampede_start_xvfb() {
  [ -z "${DISPLAY-}" ] || return 0
  [ "${STAMPEDE_XVFB-1}" != 0 ] || return 0
  if ! command -v Xvfb >/dev/null 2>&1; then
    echo "note: no X display (DISPLAY unset) and no Xvfb: the UI tests are skipped (apt-get install xvfb libgtk-3-0)" >&2
    return 0
  fi
  xvfb_fd_file=$(mktemp)
  xvfb_owner=$$
  (
    timeout 6h Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$xvfb_fd_file" &
    xvfb_pid=$!
    while kill -0 "$xvfb_owner" 2>/dev/null && kill -0 "$xvfb_pid" 2>/dev/null; do sleep 2; done
    kill "$xvfb_pid" 2>/dev/null
  ) </dev/null >/dev/null 2>&1 &
  i=0
  while [ ! -s "$xvfb_fd_file" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  xvfb_display=$(head -n 1 "$xvfb_fd_file")
  rm -f "$xvfb_fd_file"
  if [ -n "$xvfb_display" ]; then
    DISPLAY=:$xvfb_display
    export DISPLAY
  else
    echo "note: Xvfb did not start within 10 s: the UI tests are skipped" >&2
  fi
}
