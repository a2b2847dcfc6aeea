#!/bin/sh
# Reproducibility check: build the image twice from the same inputs (the
# same binary, SOURCE_DATE_EPOCH and mirror; snapshot.debian.org is not
# used, so the two builds must run while the mirror does not change) and
# compare the root file systems: the squashfs images byte for byte and,
# if they differ, the per-file digests.
#   image/repro.sh BINARY OUTDIR
set -eu
BIN=$1 OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
: "${SOURCE_DATE_EPOCH:=$(git -C "$HERE" log -1 --format=%ct 2>/dev/null || echo 1700000000)}"
export SOURCE_DATE_EPOCH
for n in 1 2; do
	s=$(date +%s)
	sh "$HERE/build.sh" "$BIN" "$OUT/$n" > "$OUT/build$n.log" 2>&1 || { tail -n 30 "$OUT/build$n.log"; exit 1; }
	echo "image-repro: build $n took $(( $(date +%s) - s )) s"
done
for f in rootfs.squashfs initrd.img vmlinuz esp.vfat data.ext4 selvkasse.img; do
	a=$(sha256sum < "$OUT/1/$f" | cut -d' ' -f1) b=$(sha256sum < "$OUT/2/$f" | cut -d' ' -f1)
	if [ "$a" = "$b" ]; then echo "image-repro: $f identical ($a)"; else echo "image-repro: $f DIFFERS"; fi
done
if cmp -s "$OUT/1/rootfs.files" "$OUT/2/rootfs.files" && cmp -s "$OUT/1/rootfs.sha256" "$OUT/2/rootfs.sha256"; then
	echo "image-repro: root file lists and file digests identical"
else
	echo "image-repro: root files that differ:"
	diff "$OUT/1/rootfs.sha256" "$OUT/2/rootfs.sha256" | sed -n 's/^[<>] [0-9a-f]*  //p' | sort -u | head -n 50
	diff "$OUT/1/rootfs.files" "$OUT/2/rootfs.files" | head -n 20
fi
cmp -s "$OUT/1/rootfs.squashfs" "$OUT/2/rootfs.squashfs"
