#!/usr/bin/env bash
# Builds the image every Docker test uses, offline: a busybox-static rootfs turned into an image with
# `docker import` (nothing can be pulled here). Idempotent: does nothing when the image exists.
# Sourcing it (`. scripts/test-image.sh`) only defines the functions, so find_busybox can be tested.
set -euo pipefail

# The busybox binary to copy into the image, printed; fails with one line when there is none.
# Its --help is captured whole, never piped into `head` (under pipefail, busybox killed by SIGPIPE
# after head exits would fail the check at random).
find_busybox() {
  local bin help
  bin=$(command -v busybox || true)
  if [ -n "$bin" ]; then
    help=$("$bin" --help 2>&1 || true)
    if [[ "$help" == BusyBox* ]]; then
      printf '%s\n' "$bin"
      return 0
    fi
  fi
  echo "busybox-static is not installed (apt-get install busybox-static)" >&2
  return 1
}

main() {
  local image="${MLENV_TEST_IMAGE:-mlenv-test/busybox:latest}"
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "test image $image present"
    return 0
  fi
  local busybox root
  busybox=$(find_busybox)
  root=$(mktemp -d)
  # Expanded now: $root is local to main and gone when the EXIT trap runs.
  trap "rm -rf -- $(printf %q "$root")" EXIT
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/www"
  cp "$busybox" "$root/bin/busybox"
  local applets applet
  applets=$("$busybox" --list)
  for applet in $applets; do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'hello from mlenv test image' > "$root/www/index.html"
  tar -C "$root" -c . | docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - "$image" >/dev/null
  echo "built test image $image"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
