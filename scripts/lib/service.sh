# Shared by the scripts that run the service in the background (scripts/fuzz, scripts/browser-test,
# the benchmarks).

# service_stop PID: SIGTERM, then up to 60 s for the service to exit (it ends itself within 25 s:
# 20 s of graceful shutdown, then 5 s of cancellation); past that a warning and SIGKILL, so a
# stuck shutdown cannot hang the caller (CI).
service_stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: the service (pid $pid) did not exit within 60 s of SIGTERM; killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
