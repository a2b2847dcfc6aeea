#!/bin/sh
# mmdebstrap customize hook: configure the appliance root in "$1".
# Runs on the build machine (mmdebstrap --mode=root); commands that must
# see the target run under chroot.
set -eu
R=$1
ch() { chroot "$R" "$@"; }

chmod 0755 "$R/usr/bin/selvkasse"

# Locale nb_NO.UTF-8 and time zone Europe/Oslo.
echo 'nb_NO.UTF-8 UTF-8' > "$R/etc/locale.gen"
ch locale-gen
echo 'LANG=nb_NO.UTF-8' > "$R/etc/default/locale"
echo 'LANG=nb_NO.UTF-8' > "$R/etc/locale.conf"
ln -sf /usr/share/zoneinfo/Europe/Oslo "$R/etc/localtime"
echo 'Europe/Oslo' > "$R/etc/timezone"
echo 'selvkasse' > "$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tselvkasse\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"

# The kiosk user (fixed ids so the data partition's owners match every
# root slot). video: seatd's group and /dev/dri; render; input (the
# headset jack's switch events); gpio; audio: speech and tones (ALSA).
ch groupadd --system --gid 990 gpio
ch groupadd --system --gid 991 kiosk
ch useradd --system --uid 991 --gid kiosk --groups video,render,input,gpio,audio \
	--home-dir /var/lib/selvkasse/home --no-create-home --shell /usr/sbin/nologin kiosk
# No passwords: root is locked, there is no login on the console.
ch passwd -l root >/dev/null

# Units: the kiosk, seatd, timesyncd, networkd (DHCP, for NTP and the
# test's port forward), the hardware watchdog (system.conf.d).
ch systemctl enable selvkasse.service seatd.service systemd-timesyncd.service systemd-networkd.service
ch systemctl set-default multi-user.target
# No getty on tty1: cage owns the display. Keep the serial console.
ch systemctl mask getty@tty1.service getty-static.service
# Nothing to do on a read-only, image-updated system.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
	systemd-firstboot.service systemd-machine-id-commit.service; do
	ch systemctl mask "$u" >/dev/null 2>&1 || true
done

# udev rules for the devices from /etc/selvkasse/devices.conf.
mkdir -p "$R/etc/selvkasse"
cp "$DEVICES" "$R/etc/selvkasse/devices.conf"
sh "$(dirname "$0")/devrules.sh" "$R/etc/selvkasse/devices.conf" > "$R/etc/udev/rules.d/70-selvkasse-devices.rules"

# Kernel modules: keep the drivers an x86 kiosk (or the qemu test) needs
# and what they depend on; drop the rest. Then rebuild the initramfs.
KV=$(ls "$R/lib/modules")
M=$R/lib/modules/$KV
keep=$(mktemp)
(cd "$M" && find kernel -name '*.ko*' | grep -E "$(tr '\n' '|' < "$(dirname "$0")/modules.keep" | sed 's/|$//')" ) > "$keep.roots" || true
awk -F': ?' 'NR==FNR {root[$1]=1; next} ($1 in root) {print $1; n=split($2, d, " "); for (i=1;i<=n;i++) print d[i]}' \
	"$keep.roots" "$M/modules.dep" | sort -u > "$keep"
(cd "$M" && find kernel -name '*.ko*' | sort) | comm -23 - "$keep" | (cd "$M" && xargs rm -f)
find "$M/kernel" -type d -empty -delete
rm -f "$keep" "$keep.roots"
ch depmod "$KV"
ch update-initramfs -u -k "$KV"

# Prune: translations other than nb, i18n sources (the locale is
# compiled into locale-archive), caches and logs of the build.
find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name nb ! -name locale.alias -exec rm -rf {} +
rm -rf "$R/usr/share/i18n/locales" "$R/usr/share/i18n/charmaps"
rm -rf "$R/var/cache/"* "$R/var/log/"* "$R/var/lib/apt/lists/"* "$R/var/cache/ldconfig/aux-cache"
rm -f "$R/var/lib/dpkg/"*-old "$R/etc/"*- "$R/var/lib/systemd/catalog/database"
rm -rf "$R/usr/share/doc/"*/changelog* "$R/usr/share/gtk-doc" "$R/usr/include"
find "$R/usr" -name '__pycache__' -prune -exec rm -rf {} +
# Empty machine-id: systemd makes a transient one at boot (read-only root).
: > "$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id"
# Mount points on the read-only root.
mkdir -p "$R/var/lib/selvkasse" "$R/var/log/journal" "$R/boot/efi"
chmod 0755 "$R/var/lib/selvkasse"
