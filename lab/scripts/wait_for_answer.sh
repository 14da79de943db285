# shellcheck shell=bash
# Sourced by the benchmark scripts: wait_for_answer URL TYPE SAMPLE LOG...
# Polls URL with the sample (POST, Content-Type TYPE) once a second, for up to 300 s,
# until it answers 200; else prints the tail of each LOG and returns 1.
wait_for_answer() {
  local url=$1 type=$2 sample=$3 code=
  shift 3
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Content-Type: $type" \
           --data-binary "@$sample" "$url" || true)
    [ "$code" = 200 ] && return 0
    sleep 1
  done
  echo "$url never answered (last status: ${code:-none})"
  tail -n 20 "$@"
  return 1
}
