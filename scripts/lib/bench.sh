# Shared by the HTTP benchmarks (scripts/bench, scripts/bench-board, scripts/bench-console): reaching
# the service started in the background, measuring a route under wrk, and writing a section of
# docs/BENCHMARKS.md.

# Prints the status code of GET $1 on 127.0.0.1:$http_port (bash's /dev/tcp: a fresh machine
# may lack curl).
http_status() {
  exec 3<>"/dev/tcp/127.0.0.1/$http_port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  local code
  read -r _ code _ <&3 || true
  echo "$code"
}

# bench_wait_ready PID LOG: waits up to 60 s for /health/ready; fails with the log's tail.
bench_wait_ready() {
  local i
  for ((i = 0; i < 600; i++)); do
    [[ $(http_status /health/ready 2>/dev/null) == 200 ]] && return 0
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 30 "$2" >&2
  echo "error: chanjiao serve did not become ready" >&2
  return 1
}

# bench_wrk FILE URL [wrk args…]: a warm-up run, then the measured one (`wrk -t2 -c8`, $duration
# seconds each, latencies kept in FILE and shown on stderr); fails on any non-2xx answer. Prints
# "req/s | p50 | p99", the cells of a table row.
bench_wrk() {
  local file=$1 url=$2
  shift 2
  wrk -t2 -c8 -d "${duration}s" "$@" "$url" >/dev/null
  wrk -t2 -c8 -d "${duration}s" --latency "$@" "$url" >"$file"
  cat "$file" >&2
  if grep -q 'Non-2xx' "$file"; then
    echo "error: $url got non-2xx answers" >&2
    return 1
  fi
  echo "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$file") | $(awk '$1 == "50%" { print $2 }' "$file") | $(awk '$1 == "99%" { print $2 }' "$file")"
}

# bench_write_section HEADING FILE: replaces the "## HEADING" section of docs/BENCHMARKS.md
# (up to the next "## " heading) with FILE, or appends it.
bench_write_section() {
  local heading=$1 section=$2 doc=docs/BENCHMARKS.md
  mkdir -p docs
  [[ -f $doc ]] || printf '# Benchmarks\n\n' >"$doc"
  awk -v section="$section" -v heading="## $heading" '
    function insert(line) { while ((getline line < section) > 0) print line; done = 1 }
    { last = $0 }
    /^## / { skipping = 0 }
    { line = $0; sub(/[[:space:]]+$/, "", line) }
    line == heading { insert(); skipping = 1; next }
    !skipping { print }
    END { if (!done) { if (last != "") print ""; insert() } }
  ' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
  echo "written to $doc"
}
