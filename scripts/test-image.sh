#!/usr/bin/env bash
# Builds the image every Docker test uses, offline: a busybox-static rootfs turned into an image with
# `docker import` (nothing can be pulled here). Idempotent: does nothing when the image exists.
set -euo pipefail
IMAGE="${MLENV_TEST_IMAGE:-mlenv-test/busybox:latest}"
docker image inspect "$IMAGE" >/dev/null 2>&1 && { echo "test image $IMAGE present"; exit 0; }
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && "$BUSYBOX" --help 2>&1 | head -1 | grep -q BusyBox || { echo "busybox-static is not installed (apt-get install busybox-static)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/www"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'hello from mlenv test image' > "$root/www/index.html"
tar -C "$root" -c . | docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - "$IMAGE" >/dev/null
echo "built test image $IMAGE"
