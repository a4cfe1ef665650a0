# Sourced by compare.sh and profile.sh.
# cpu DATA_DIR PID: CPU seconds (user + system) so far of the embedded PostgreSQL whose postmaster's
# command line names DATA_DIR (the postmaster and its children), then of the process PID (the
# service's JVM): "postgres_s jvm_s". Two calls around a run give the run's CPU.
cpu() {
  local dir=$1 jvm=$2 pm pg=0 p
  pm=$( (pgrep -f "$dir" || true) | while read -r p; do [ "$(cat "/proc/$p/comm" 2>/dev/null)" != postgres ] || echo "$p"; done | head -1)
  for p in $pm $( [ -n "$pm" ] && pgrep -P "$pm"); do
    pg=$(awk -v s="$pg" '{printf "%.2f", s + ($14 + $15) / 100}' "/proc/$p/stat" 2>/dev/null || echo "$pg")
  done
  echo "$pg $(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$jvm/stat")"
}
