#!/bin/sh
# A fake model server: "loads its weights" by filling FILL_MIB MiB of /dev/shm (tmpfs, charged to the
# container's memory cgroup, taking time in proportion to the size), then answers HTTP on PORT, one
# forked serve.sh a connection (busybox nc -ll -e; run through sh, so the files need no exec bit).
set -e
dd if=/dev/zero of=/dev/shm/weights bs=1048576 count="${FILL_MIB:-32}" 2>/dev/null
exec nc -ll -p "${PORT:-8000}" -e sh /srv/serve.sh
