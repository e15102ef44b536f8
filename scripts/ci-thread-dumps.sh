#!/usr/bin/env bash
# After a failed test run: the threads that move records (stream threads, generation and judge workers, ingest's
# watcher) from the thread dumps a fault test appended to its stages' logs, so the CI output shows where a stuck
# stage was stuck. Prints nothing when no test dumped threads.
shopt -s nullglob
for f in */target/cluster-fault-test/*.log; do
  grep -q "Full thread dump" "$f" || continue
  echo "=== threads of $f"
  awk '/^"/ { keep = ($0 ~ /StreamThread|generation-|judge-|ingest-watcher|output-warm-up/); n = 0 }
       keep && n < 25 { print; n++ }' "$f"
done
