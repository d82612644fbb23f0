#!/usr/bin/env bash
# Builds the services and starts the whole system locally: PostgreSQL, Kafka, the three services, demo data.
# Needs only a JDK 17+ and Maven 3.8+. Ctrl-C stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

if [[ $build == 1 ]]; then
  echo "Building (mvn -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi
classpath_file=deploy/local-stack/target/local-stack.classpath
if [[ ! -f $classpath_file ]]; then
  echo "$classpath_file is missing: run without --no-build once." >&2
  exit 1
fi
exec java -Dbhv.repo.root="$root" \
  -cp "deploy/local-stack/target/classes:$(cat "$classpath_file")" \
  se.regionorebrolan.bhv.localstack.RunLocal "${args[@]+"${args[@]}"}"
