#!/bin/sh
# Side-by-side runs of the issue-18 experiment on one build: http.write with the product's store
# (main), with the writer worker posting one message per main-thread tick (worker), and with the
# first prototype that posted each append on its own (each), alternating. After `npm run build`:
#   sh bench/experiments/worker-writer/ab.sh [rounds=2] [variants="main worker each"] > /tmp/ab.log 2>&1
# Each run prints the load average before it, the server's CPU (all its threads), the worker's
# commit and batch counts, and the bench rows (http.write or http.write.worker, and http.floor).
rounds=${1:-2}
variants=${2:-main worker each}
i=1
while [ "$i" -le "$rounds" ]; do
  for v in $variants; do
    echo "=== round $i $v $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
    case $v in
      main) env SQLITE_WRITER=main node dist/bench/run.js --quick --only=http.write ;;
      worker) env SQLITE_WRITER=worker node dist/bench/run.js --quick --only=http.write ;;
      each) env SQLITE_WRITER=worker SQLITE_WRITER_POST=each node dist/bench/run.js --quick --only=http.write ;;
    esac 2>&1 | grep -E 'CPU|2xx|writer|^\| http'
  done
  i=$((i + 1))
done
echo "=== end $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
