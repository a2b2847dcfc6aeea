#!/bin/sh
# Build the Selvkasse appliance image: Debian 12 (bookworm) by mmdebstrap,
# a read-only squashfs root, a GPT disk with an EFI system partition
# (systemd-boot), two root slots (A/B) and the data partition.
#
#   image/build.sh BINARY OUTDIR
#
# Writes OUTDIR/rootfs.squashfs (slot image), OUTDIR/esp.vfat,
# OUTDIR/data.ext4, OUTDIR/selvkasse.img (the whole disk), OUTDIR/vmlinuz
# and OUTDIR/initrd.img (for qemu's direct kernel boot) and
# OUTDIR/manifest.txt (package versions, sizes, sha256 sums).
#
# Environment: SOURCE_DATE_EPOCH (default: last commit time of the repo),
# SUITE (bookworm), ARCH (amd64; arm64 see README), MIRROR (default: none,
# i.e. mmdebstrap's default or the build machine's apt sources), DEVICES
# (udev device config, default image/devices.conf), KEEP_ROOTDIR=1 keeps
# the unpacked root in OUTDIR/root for comparisons.
set -eu

BIN=$(realpath "$1")
OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=${SUITE:-bookworm}
ARCH=${ARCH:-amd64}
DEVICES=${DEVICES:-$HERE/devices.conf}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$HERE" log -1 --format=%ct 2>/dev/null || echo 1700000000)
fi
export SOURCE_DATE_EPOCH
case $ARCH in
amd64) KPKG=linux-image-amd64 ;;
arm64) KPKG=linux-image-arm64 ;;
*) echo "build.sh: unsupported ARCH $ARCH" >&2; exit 2 ;;
esac

# The mirror: an explicit MIRROR, else the build machine's apt sources
# (deb822 or one-line), else mmdebstrap's own default. No host is written here.
set --
if [ -n "${MIRROR:-}" ]; then
	set -- "$MIRROR"
elif [ -r /etc/apt/sources.list.d/debian.sources ] || [ -r /etc/apt/sources.list ]; then
	m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v -- '-security' | head -n1)
	[ -n "$m" ] || m=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$m" ] && set -- "deb $m $SUITE main" "deb $m $SUITE-updates main" "deb ${m%/debian}/debian-security $SUITE-security main"
fi

PKGS="systemd,systemd-sysv,udev,systemd-timesyncd,kmod,$KPKG,initramfs-tools,zstd,\
systemd-boot-efi,passwd,e2fsprogs,locales,tzdata,seatd,cage,xwayland,libgl1,libgl1-mesa-dri,\
libx11-6,libxcursor1,libxrandr2,libxinerama1,libxi6,libxxf86vm1,xkb-data,\
espeak-ng,alsa-utils"
[ "$ARCH" = arm64 ] && PKGS="$PKGS,raspi-firmware"

# APT_CACHE=DIR keeps the downloaded .debs between builds (a cache only:
# the packages are still the ones the mirror's indices name).
APT_CACHE=${APT_CACHE:-}
[ -z "$APT_CACHE" ] || { mkdir -p "$APT_CACHE"; APT_CACHE=$(realpath "$APT_CACHE"); }
export APT_CACHE

ROOT=$OUT/root
rm -rf "$ROOT" "$OUT/stage"
mkdir -p "$OUT"
t0=$(date +%s)

# --variant=essential: only Essential:yes plus the list above (no apt in
# the appliance: it is updated as a whole slot). dpkg path filters keep
# docs (except copyright files), man pages, info and translations out.
mmdebstrap --mode=root --variant=essential --arch="$ARCH" \
	--include="$PKGS" \
	--skip=download/empty \
	--setup-hook='[ -z "$APT_CACHE" ] || { mkdir -p "$1/var/cache/apt/archives"; find "$APT_CACHE" -maxdepth 1 -name "*.deb" -exec cp -t "$1/var/cache/apt/archives/" {} +; }' \
	--customize-hook='[ -z "$APT_CACHE" ] || find "$1/var/cache/apt/archives" -maxdepth 1 -name "*.deb" -exec cp -n -t "$APT_CACHE/" {} +' \
	--aptopt='Acquire::Languages "none"' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--dpkgopt='path-include=/usr/share/locale/nb/*' \
	--dpkgopt='path-exclude=/usr/share/lintian/*' \
	--dpkgopt='path-exclude=/usr/share/bug/*' \
	--dpkgopt='path-exclude=/usr/lib/firmware/*' \
	--essential-hook="mkdir -p \"\$1/etc/initramfs-tools/conf.d\" \"\$1/usr/share/initramfs-tools/modules.d\"" \
	--essential-hook="copy-in $HERE/rootfs/etc/initramfs-tools/conf.d/selvkasse.conf /etc/initramfs-tools/conf.d/" \
	--essential-hook="copy-in $HERE/rootfs/usr/share/initramfs-tools/modules.d/selvkasse /usr/share/initramfs-tools/modules.d/" \
	--customize-hook="copy-in $HERE/rootfs/etc $HERE/rootfs/usr /" \
	--customize-hook="upload $BIN /usr/bin/selvkasse" \
	--customize-hook="SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH DEVICES=$DEVICES sh $HERE/customize.sh \"\$1\"" \
	"$SUITE" "$ROOT" "$@"
t1=$(date +%s)

KV=$(ls "$ROOT/lib/modules")
cp "$ROOT/boot/vmlinuz-$KV" "$OUT/vmlinuz"
cp "$ROOT/boot/initrd.img-$KV" "$OUT/initrd.img"

# The EFI system partition, systemd-boot and the data partition's initial
# tree are built from the root, then /boot is emptied (the kernel lives on
# the ESP, one copy per slot).
ROOT=$ROOT OUT=$OUT KV=$KV ARCH=$ARCH sh "$HERE/assemble.sh"
t2=$(date +%s)
echo "build.sh: mmdebstrap $((t1 - t0)) s, assemble $((t2 - t1)) s"
[ -n "${KEEP_ROOTDIR:-}" ] || rm -rf "$ROOT"
