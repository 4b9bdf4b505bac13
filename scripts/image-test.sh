#!/usr/bin/env bash
# The image, built from the Dockerfile and run as an operator runs it, checked from outside the
# container: non-root with a read-only root and a tmpfs /tmp, the HEALTHCHECK, /readyz, a
# preflight in role mode against the sandbox from the same image, `check` from the image, SIGTERM
# with runs in flight, the report store on a named volume across containers, and the image's size.
# The documentation's container commands (docs/deployment.md's "Running the image", and the
# README's container example) are run here as written:
# test/packaging/image-test.test.ts checks that each one is in this file.
#
# The engine is Debian's podman, as root, run the way this kind of machine allows (see `docker`
# below), with every container on the host's network (the service on 127.0.0.1): no bridge network.
# No registry serves the base images here: .ci/stand-in-images builds stand-ins under their names.
# The containers run in a network namespace of their own (its own loopback), so the fixed ports
# 8080, 8081, 4566 and 4567 are free whatever else the machine runs.
#
# Usage: bash scripts/image-test.sh (as root; installs podman, runc, debootstrap and iproute2 from
# Debian's packages if missing; needs curl, the AWS CLI, Node and npm).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "image test: FAILED: $*" >&2; exit 1; }
say() { echo "image test: $*"; }

# `docker`, in the commands below, is podman as this machine runs it: with runc (Debian's podman
# prefers crun, which is not installed) and cgroupfs (no systemd), and a containers.conf of the
# repository's (.ci/containers.conf: no open-files limit above the machine's). Builds take the
# stand-in base images (--pull=never) and reach the npm registry on the host's network. Podman
# without systemd cannot schedule HEALTHCHECK timers and says so on every run; its error lines
# about that are left out (`podman healthcheck run` runs the check on demand).
export CONTAINERS_CONF="$PWD/.ci/containers.conf"
# Docker's image format, not OCI's, which has no HEALTHCHECK: podman would drop it.
export BUILDAH_FORMAT=docker
podman() {
  command podman --runtime runc --cgroup-manager cgroupfs "$@" 2> >(grep -v 'unable to get systemd connection' >&2)
}
docker() {
  if [ "$1" = build ]; then shift; set -- build --pull=never --network host "$@"; fi
  podman "$@"
}

if [ "${1:-}" != --in-namespace ]; then
  # ---- The engine, the base images and the build, on the machine's own network. ----
  started=$SECONDS
  [ "$(id -u)" = 0 ] ||
    fail "needs root: podman runs its containers as root here (rootless podman needs newuidmap, subordinate id ranges and a user-mode network, none of which this setup has)"
  missing=()
  for tool in podman runc debootstrap ip unshare flock curl aws node npm; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  packages=()
  for tool in "${missing[@]}"; do
    case "$tool" in podman | runc | debootstrap) packages+=("$tool") ;; ip) packages+=(iproute2) ;; *) fail "needs $tool on PATH" ;; esac
  done
  if [ ${#packages[@]} -gt 0 ]; then
    say "installing ${packages[*]} from Debian's packages"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}") >/dev/null
  fi
  unshare --net true 2>/dev/null || fail "cannot make a network namespace (unshare --net): the containers would share the machine's ports"
  # One image test at a time on a machine: the containers, the volume and the stand-ins have fixed names.
  exec 9>/run/lock/preflight-image-test.lock
  flock -w 1200 9 || fail "another image test has held /run/lock/preflight-image-test.lock for 20 minutes"
  podman info >/dev/null || fail "podman does not work here (podman info failed)"

  bash .ci/stand-in-images
  base_ready=$SECONDS
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' EXIT
  docker build -t preflight:local . >"$logs/build.log" 2>&1 || { tail -40 "$logs/build.log" >&2; fail "docker build"; }
  built=$SECONDS
  size=$(podman image inspect --format '{{.Size}}' preflight:local)
  base=$(podman image inspect --format '{{.Size}}' gcr.io/distroless/nodejs24-debian12:nonroot)
  mb() { echo $((($1 + 500000) / 1000000)); }
  verdict=$([ "$size" -lt 150000000 ] && echo met || echo "NOT met")
  say "image size: $(mb "$size") MB (goal: under 150 MB, $verdict): $(mb "$base") MB of base image (the Node binary and its libraries), $(mb $((size - base))) MB of the service"
  say "base images $((base_ready - started)) s, build $((built - base_ready)) s"

  unshare --net bash "$0" --in-namespace
  say "passed in $((SECONDS - started)) s (checks $((SECONDS - built)) s)"
  # Layers of builds that no image uses any more, once a week old: younger ones are the build
  # cache (the build stage's layers, `npm ci` among them, belong to no tagged image).
  podman image prune -f --filter until=168h >/dev/null
  exit 0
fi

# ---- The checks, in a network namespace of this run's own. ----
ip link set lo up
KEY='Authorization: Bearer demo-key-not-secret-0000'
CONTAINERS=(preflight preflight-sandbox preflight-stopping preflight-hanging-sandbox)
tmp=$(mktemp -d)
chmod 755 "$tmp"
cleanup() {
  local code=$?
  if [ "$code" != 0 ]; then
    for name in "${CONTAINERS[@]}"; do
      podman container exists "$name" && { echo "--- $name's last log lines" >&2; podman logs --tail 15 "$name" >&2 || true; }
    done
  fi
  remove
  rm -rf "$tmp"
}
# One at a time: given a name that does not exist, podman 4.3's `rm -f` removes none of the others.
# -v: the anonymous volumes of the image's VOLUME that the sandboxes got.
remove() {
  for name in "${CONTAINERS[@]}"; do podman rm -f -v -t 0 "$name" >/dev/null 2>&1 || true; done
  podman volume rm -f preflight-data >/dev/null 2>&1 || true
}
trap cleanup EXIT
remove # what an interrupted run may have left behind

field() { node -e 'const value = JSON.parse(require("node:fs").readFileSync(0, "utf8"))[process.argv[1]]; process.stdout.write(String(value ?? ""))' "$1"; }

say "the service and the sandbox, as the documentation starts them"
docker run -d --name preflight-sandbox --network host --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges --memory 256m --pids-limit 128 --no-healthcheck \
    --entrypoint /nodejs/bin/node preflight:local dist/sandbox/main.js --scenario full-access --port 4566 >/dev/null
docker run -d --name preflight --network host --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges --memory 256m --pids-limit 128 -v preflight-data:/app/data \
    -e HOST=127.0.0.1 -e PREFLIGHT_API_KEYS=demo-key-not-secret-0000 \
    -e AWS_ENDPOINT_URL=http://127.0.0.1:4566 -e PREFLIGHT_S3_FORCE_PATH_STYLE=true \
    -e AWS_ACCESS_KEY_ID=AKIASANDBOXSERVICE01 -e AWS_SECRET_ACCESS_KEY=sandbox/service/secret/key/00000000000 \
    preflight:local >/dev/null
ready=$(curl -s --retry 20 --retry-connrefused --retry-delay 1 localhost:8080/readyz)
[ "$ready" = '{"status":"ready"}' ] || fail "/readyz answered: $ready"
curl -s -o /dev/null --retry 20 --retry-connrefused --retry-delay 1 localhost:4566 || fail "the sandbox does not answer on :4566"
# The image holds no node_modules but Swagger UI's page files: /docs serves them.
docs=$(curl -s -o /dev/null -w '%{http_code}' localhost:8080/docs/static/swagger-ui-bundle.js)
[ "$docs" = 200 ] || fail "/docs/static/swagger-ui-bundle.js answered $docs"

say "the process: uid 65532, no capabilities, no privilege gain, read-only root, tmpfs /tmp"
# Read from outside: the kernel's view of the container's first process (no user namespace, so its
# ids are the host's), and its mounts.
pid=$(podman inspect --format '{{.State.Pid}}' preflight)
status=/proc/$pid/status
[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "$status")" = '65532 65532 65532 65532' ] || fail "the service does not run as uid 65532: $(grep '^Uid:' "$status")"
[ "$(awk '/^Gid:/ {print $2}' "$status")" = 65532 ] || fail "the service does not run as gid 65532"
[ "$(awk '/^CapEff:/ {print $2}' "$status")" = 0000000000000000 ] || fail "the service has capabilities: $(grep '^CapEff:' "$status")"
[ "$(awk '/^NoNewPrivs:/ {print $2}' "$status")" = 1 ] || fail "the service may gain privileges (NoNewPrivs is not 1)"
mount_of() { awk -v at="$1" '$5 == at { for (i = 7; $i != "-"; i++); print $(i + 1), $6 }' "/proc/$pid/mountinfo"; }
case "$(mount_of /)" in *' ro'*) ;; *) fail "the root file system is not read-only: $(mount_of /)" ;; esac
case "$(mount_of /tmp)" in 'tmpfs rw'*) ;; *) fail "/tmp is not a writable tmpfs: $(mount_of /tmp)" ;; esac
# And as the process sees it: nothing writable but /tmp and the data volume.
writes=$(podman exec preflight /nodejs/bin/node -e '
  const fs = require("node:fs");
  for (const dir of ["/app", "/app/dist", "/etc", "/tmp", "/app/data"]) {
    try { fs.writeFileSync(dir + "/.write-test", ""); fs.unlinkSync(dir + "/.write-test"); console.log(dir, "writable"); }
    catch (error) { console.log(dir, error.code); }
  }')
expected=$'/app EROFS\n/app/dist EROFS\n/etc EROFS\n/tmp writable\n/app/data writable'
[ "$writes" = "$expected" ] || fail "writable places in the container: $writes"
if podman exec preflight /bin/sh -c true >/dev/null 2>&1; then fail "the image has a shell"; fi

say "the HEALTHCHECK"
podman healthcheck run preflight >/dev/null || fail "podman healthcheck run: unhealthy"
health=$(docker inspect --format '{{.State.Health.Status}}' preflight)
[ "$health" = healthy ] || fail "health status: $health"

say "a preflight in role mode (the service's identity assumes the customer's role)"
answer=$(curl -s localhost:8080/preflight -H 'Authorization: Bearer demo-key-not-secret-0000' \
    -H 'content-type: application/json' -H 'accept: text/plain' -d @examples/full-access-role.json)
grep -Eq '^Preflight [0-9a-f]{12}: OK' <<<"$answer" || fail "role-mode preflight: $answer"
grep -q 'as arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/' <<<"$answer" || fail "role-mode preflight, not as the role: $answer"
stored=$(sed -nE 's/^Preflight ([0-9a-f]{12}):.*/\1/p' <<<"$answer" | head -1)
# And with access keys, as JSON.
report=$(curl -s localhost:8080/preflight -H "$KEY" -H 'content-type: application/json' -d @examples/full-access.json)
[ "$(field status <<<"$report")" = ok ] || fail "access-key preflight: $report"

say "check, from the image"
checked=$(docker run --rm --network host --read-only --tmpfs /tmp -e AWS_ENDPOINT_URL=http://127.0.0.1:4566 \
    -v "$PWD/examples/full-access.json:/app/conn.json:ro" preflight:local check conn.json) ||
  fail "check exited $?: $checked"
grep -Eq '^Preflight [0-9a-f]{12}: OK' <<<"$checked" || fail "check printed: $checked"

say "stopped with nothing in flight: exit 0"
docker stop -t 35 preflight preflight-sandbox >/dev/null
codes=$(podman inspect --format '{{.State.ExitCode}}' preflight preflight-sandbox | tr '\n' ' ')
[ "$codes" = '0 0 ' ] || fail "exit codes after docker stop: $codes"

say "SIGTERM with runs in flight: they clean up and answer within the grace, exit 0"
# The sandbox's S3 never answers a read of the marker: the runs, once their marker is written,
# would outlast any grace. The service must stop them in time to delete it and answer.
cat >"$tmp/hanging-read.json" <<'EOF'
{
  "extends": "full-access",
  "name": "hanging-read",
  "description": "full-access, but a read of an S3 object never answers",
  "faults": [{ "service": "s3", "operation": "GetObject", "hang": true }]
}
EOF
chmod 644 "$tmp/hanging-read.json"
podman run -d --name preflight-hanging-sandbox --network host --read-only --tmpfs /tmp --cap-drop ALL \
  --security-opt no-new-privileges --memory 256m --pids-limit 128 --no-healthcheck \
  -v "$tmp/hanging-read.json:/app/hanging-read.json:ro" \
  --entrypoint /nodejs/bin/node preflight:local dist/sandbox/main.js --scenario hanging-read.json --port 4567 >/dev/null
# A new container on the same volume; 6 s of grace, well inside `docker stop`'s 10 s: a process
# still there at the end of the grace exits 1 by itself, and one still there after 10 s is killed (137).
podman run -d --name preflight-stopping --network host --read-only --tmpfs /tmp --cap-drop ALL \
  --security-opt no-new-privileges --memory 256m --pids-limit 128 -v preflight-data:/app/data \
  -e HOST=127.0.0.1 -e PORT=8081 -e PREFLIGHT_API_KEYS=demo-key-not-secret-0000 -e PREFLIGHT_SHUTDOWN_GRACE_MS=6000 \
  -e AWS_ENDPOINT_URL=http://127.0.0.1:4567 -e PREFLIGHT_S3_FORCE_PATH_STYLE=true \
  -e AWS_ACCESS_KEY_ID=AKIASANDBOXSERVICE01 -e AWS_SECRET_ACCESS_KEY=sandbox/service/secret/key/00000000000 \
  preflight:local >/dev/null
ready=$(curl -s --retry 20 --retry-connrefused --retry-delay 1 localhost:8081/readyz)
[ "$ready" = '{"status":"ready"}' ] || fail "/readyz of the second container answered: $ready"
curl -s -o /dev/null --retry 20 --retry-connrefused --retry-delay 1 localhost:4567 || fail "the hanging sandbox does not answer on :4567"

say "the report stored by the first container, read through the second (the named volume)"
again=$(curl -s -w '\n%{http_code}' "localhost:8081/preflight/$stored" -H "$KEY")
[ "$(tail -1 <<<"$again")" = 200 ] && [ "$(head -1 <<<"$again" | field id)" = "$stored" ] ||
  fail "report $stored after a new container on the volume: $again"

RUNS=3
for i in $(seq "$RUNS"); do
  curl -s -o "$tmp/run-$i.json" -w '%{http_code}' localhost:8081/preflight -H "$KEY" \
    -H 'content-type: application/json' -d @examples/full-access-role.json >"$tmp/run-$i.code" &
done
markers() {
  AWS_ACCESS_KEY_ID=AKIASANDBOXANALYST01 AWS_SECRET_ACCESS_KEY=sandbox/analyst/secret/key/0000000000 \
    aws --endpoint-url http://127.0.0.1:4567 --region eu-west-1 s3api list-objects-v2 --bucket acme-athena-results \
    --prefix primary/ --query 'Contents[].Key' --output text | tr '\t' '\n' | grep -c 'preflight-marker' || true
}
for _ in $(seq 60); do [ "$(markers)" = "$RUNS" ] && break; sleep 0.5; done
[ "$(markers)" = "$RUNS" ] || fail "$RUNS runs never had their markers written at once (found $(markers))"
in_flight=$(curl -s localhost:8081/metrics -H "$KEY" | awk '$1 == "preflight_runs_in_flight" {print $2}')
[ "$in_flight" = "$RUNS" ] || fail "runs in flight before SIGTERM: $in_flight, not $RUNS"
docker stop -t 10 preflight-stopping >/dev/null
wait
code=$(podman inspect --format '{{.State.ExitCode}}' preflight-stopping)
[ "$code" = 0 ] || fail "exit code after SIGTERM with runs in flight: $code (1: the grace ran out; 137: killed)"
for i in $(seq "$RUNS"); do
  [ "$(cat "$tmp/run-$i.code")" = 200 ] || fail "run $i in flight at SIGTERM answered $(cat "$tmp/run-$i.code")"
  node -e '
    const report = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const probe = report.probes.find((p) => p.id === "s3-delete-marker");
    if (probe?.outcome !== "pass") { console.error(`run ${report.id}: marker deletion ${probe?.outcome}`); process.exit(1); }' "$tmp/run-$i.json" ||
    fail "a run stopped by SIGTERM did not delete its marker"
done
left=$(markers)
[ "$left" = 0 ] || fail "$left markers left in the sandbox's bucket after SIGTERM"
say "all checks passed"
