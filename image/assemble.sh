#!/bin/sh
# Second half of build.sh: from the configured root ($ROOT) make the
# slot image (squashfs), the EFI system partition (systemd-boot, a kernel
# and initrd per slot), the initial data partition and the GPT disk.
# No loop devices and no mounts: mksquashfs, mkfs.vfat + mtools,
# mkfs.ext4 -d, sfdisk on a plain file, dd.
set -eu
: "${ROOT:?}" "${OUT:?}" "${KV:?}" "${ARCH:?}" "${SOURCE_DATE_EPOCH:?}"
ESP_MIB=${ESP_MIB:-96}
SLOT_MIB=${SLOT_MIB:-384}
DATA_MIB=${DATA_MIB:-256}
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH
# Fixed identifiers: the same inputs give the same disk.
DISK_GUID=5e1f4a55-0000-4000-8000-000000000000
DATA_FS_UUID=5e1f4a55-da7a-4000-8000-000000000001
HASH_SEED=5e1f4a55-da7a-4000-8000-000000000002

case $ARCH in
amd64) EFI=systemd-bootx64.efi BOOTEFI=BOOTX64.EFI ROOTTYPE=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 ;;
arm64) EFI=systemd-bootaa64.efi BOOTEFI=BOOTAA64.EFI ROOTTYPE=B921B045-1DF0-41C3-AF44-4C6F280D3FAE ;;
esac
CMDLINE=${CMDLINE:-rootfstype=squashfs ro quiet console=tty1 console=ttyS0,115200}

# 1. EFI system partition: systemd-boot, loader entries for slots A and B.
E=$OUT/stage/esp
rm -rf "$OUT/stage"
mkdir -p "$E/EFI/BOOT" "$E/EFI/systemd" "$E/loader/entries" "$E/a" "$E/b"
cp "$ROOT/usr/lib/systemd/boot/efi/$EFI" "$E/EFI/BOOT/$BOOTEFI"
cp "$ROOT/usr/lib/systemd/boot/efi/$EFI" "$E/EFI/systemd/$EFI"
printf 'default selvkasse-a.conf\ntimeout 0\nconsole-mode keep\neditor no\n' > "$E/loader/loader.conf"
for s in a b; do
	S=$(echo $s | tr a-z A-Z)
	cp "$OUT/vmlinuz" "$E/$s/vmlinuz"
	cp "$OUT/initrd.img" "$E/$s/initrd.img"
	printf 'title Selvkasse (slot %s)\nversion %s\nlinux /%s/vmlinuz\ninitrd /%s/initrd.img\noptions root=PARTLABEL=selvkasse-root-%s %s selvkasse.slot=%s\n' \
		"$S" "$KV" $s $s $s "$CMDLINE" $s > "$E/loader/entries/selvkasse-$s.conf"
done
find "$E" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$OUT/esp.vfat"
mkfs.vfat -C -n SELVKASSE -i 5E1F4A55 --invariant "$OUT/esp.vfat" $((ESP_MIB * 1024)) >/dev/null
(cd "$E" && MTOOLS_SKIP_CHECK=1 mcopy -s -m -i "$OUT/esp.vfat" EFI loader a b ::/)

# 2. The slot: the root without /boot's kernel files (they are on the ESP).
rm -f "$ROOT/boot/"vmlinuz* "$ROOT/boot/"initrd.img* "$ROOT/boot/"System.map* "$ROOT/boot/"config* \
	"$ROOT/vmlinuz" "$ROOT/vmlinuz.old" "$ROOT/initrd.img" "$ROOT/initrd.img.old"
rm -f "$OUT/rootfs.squashfs"
mksquashfs "$ROOT" "$OUT/rootfs.squashfs" -noappend -comp zstd -Xcompression-level "${ZSTD_LEVEL:-15}" -b 256K -reproducible \
	-quiet -no-progress  # times: SOURCE_DATE_EPOCH (all inodes and the superblock)
# The root's files list with their digests, for comparing two builds.
(cd "$ROOT" && find . -path ./proc -prune -o -path ./sys -prune -o -path ./dev -prune -o -print0 | LC_ALL=C sort -z |
	xargs -0 stat -c '%A %u:%g %s %N' ) > "$OUT/rootfs.files"
(cd "$ROOT" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) > "$OUT/rootfs.sha256"

# 3. The data partition's first contents (owners by the root's ids).
D=$OUT/stage/data
gid() { awk -F: -v n="$1" '$1==n {print $3}' "$ROOT/etc/group"; }
uid() { awk -F: -v n="$1" '$1==n {print $3}' "$ROOT/etc/passwd"; }
K=$(uid kiosk):$(gid kiosk)
mkdir -p "$D/system/journal" "$D/system/systemd"
for d in home data config cache share state log; do mkdir -p "$D/$d"; chown "$K" "$D/$d"; chmod 0700 "$D/$d"; done
chmod 0750 "$D/log"
chown "0:$(gid systemd-journal)" "$D/system/journal"; chmod 2755 "$D/system/journal"
find "$D" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$OUT/data.ext4"
mkfs.ext4 -q -L selvkasse-data -U "$DATA_FS_UUID" -E "hash_seed=$HASH_SEED,root_owner=0:0" \
	-m 0 -d "$D" "$OUT/data.ext4" "${DATA_MIB}M"
# mkfs.ext4 -d copies the staging tree's ctimes (and sets crtimes) from
# the clock; pin every inode's times to SOURCE_DATE_EPOCH.
(cd "$D" && find . -mindepth 1 | sed 's|^\.||'; echo /; echo /lost+found) | while read -r p; do
	for f in atime mtime ctime crtime; do echo "set_inode_field $p $f @$SOURCE_DATE_EPOCH"; done
done | debugfs -w -f - "$OUT/data.ext4" >/dev/null 2>&1

# 4. The disk: GPT, ESP | root A | root B | data.
SQ=$(stat -c %s "$OUT/rootfs.squashfs")
[ "$SQ" -le $((SLOT_MIB * 1048576)) ] || { echo "assemble.sh: root ($SQ bytes) > slot ($SLOT_MIB MiB)" >&2; exit 1; }
IMG=$OUT/selvkasse.img
rm -f "$IMG"
TOTAL=$((1 + ESP_MIB + 2 * SLOT_MIB + DATA_MIB + 1))
truncate -s "${TOTAL}M" "$IMG"
sfdisk -q --no-reread --no-tell-kernel "$IMG" <<SFDISK
label: gpt
label-id: $DISK_GUID
first-lba: 2048
start=1MiB, size=${ESP_MIB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp, uuid=5e1f4a55-0000-4000-8000-0000000000e5
size=${SLOT_MIB}MiB, type=$ROOTTYPE, name=selvkasse-root-a, uuid=5e1f4a55-0000-4000-8000-00000000000a
size=${SLOT_MIB}MiB, type=$ROOTTYPE, name=selvkasse-root-b, uuid=5e1f4a55-0000-4000-8000-00000000000b
size=${DATA_MIB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=selvkasse-data, uuid=5e1f4a55-0000-4000-8000-00000000da7a
SFDISK
put() { dd if="$1" of="$IMG" bs=1M seek="$2" conv=notrunc,sparse status=none; }
put "$OUT/esp.vfat" 1
put "$OUT/rootfs.squashfs" $((1 + ESP_MIB))
put "$OUT/data.ext4" $((1 + ESP_MIB + 2 * SLOT_MIB))

# 5. Manifest.
{
	echo "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH kernel=$KV arch=$ARCH"
	echo "rootfs.squashfs $SQ bytes sha256 $(sha256sum < "$OUT/rootfs.squashfs" | cut -d' ' -f1)"
	echo "rootfs (unpacked) $(du -sb --exclude=./proc "$ROOT" | cut -f1) bytes"
	echo "esp.vfat $(stat -c %s "$OUT/esp.vfat") bytes, data.ext4 $(stat -c %s "$OUT/data.ext4") bytes"
	echo "selvkasse.img $(stat -c %s "$IMG") bytes (allocated $(du -B1 "$IMG" | cut -f1))"
	echo "kernel modules kept: $(find "$ROOT/lib/modules/$KV/kernel" -name '*.ko*' | wc -l)"
	echo "packages:"
	chroot "$ROOT" dpkg-query -W -f '  ${Package} ${Version}\n'
} > "$OUT/manifest.txt"
head -n 7 "$OUT/manifest.txt"
