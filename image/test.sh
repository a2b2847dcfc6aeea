#!/bin/sh
# Boot test: start the image in qemu-system-x86_64 (TCG, no KVM), wait for
# the kiosk's /healthz with a rendered screen, save a screendump of the
# kiosk screen, freeze the app (SIGSTOP) and check that systemd's
# watchdog restarts it.
#
#   image/test.sh OUTDIR        (OUTDIR from image/build.sh)
#
# The guest boots by direct kernel boot (-kernel/-initrd, the same files
# systemd-boot loads from the ESP) with the disk image as a virtio disk in
# -snapshot mode (the image file is not changed). Two test-only socket
# units are enabled from the kernel command line: a relay of the loopback
# health endpoint to guest port 18723 and a control endpoint on 18724
# (GET /status, GET /freeze). User networking forwards them to loopback
# ports on this machine.
#
# Environment: HEALTH_TIMEOUT (s, default 60: the target), HARD_TIMEOUT
# (s, 240: give up waiting), RESTART_TIMEOUT (s, 120), QEMU_MEM (MiB,
# 1536), QEMU_CPU (qemu64: no AVX for llvmpipe to emit, which TCG runs
# slowly), EXTRA_APPEND (more kernel arguments), HPORT/CPORT (host ports).
# In the VM Mesa renders with softpipe (GALLIUM_DRIVER=softpipe: no LLVM
# JIT, quicker to the first frame under TCG) and cage with pixman.
set -eu
OUT=$(realpath "$1")
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-60}
HARD_TIMEOUT=${HARD_TIMEOUT:-240}
RESTART_TIMEOUT=${RESTART_TIMEOUT:-120}
HPORT=${HPORT:-18723}
CPORT=${CPORT:-18724}
T=$OUT/test
rm -rf "$T"; mkdir -p "$T"
MON=$T/monitor.sock

cleanup() {
	if [ -n "${QPID:-}" ] && kill -0 "$QPID" 2>/dev/null; then
		echo quit | socat - "UNIX-CONNECT:$MON" >/dev/null 2>&1 || true
		sleep 1; kill "$QPID" 2>/dev/null || true
	fi
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
health() { curl -s -m 3 "http://127.0.0.1:$HPORT/healthz" 2>/dev/null || true; }
ctl() { curl -s -m 30 "http://127.0.0.1:$CPORT/$1" 2>/dev/null || true; }
rendered() { printf '%s' "$1" | grep -q '"screen":"[^"]'; }
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
mon() { printf '%s\n' "$1" | socat - "UNIX-CONNECT:$MON" >/dev/null; }

APPEND="root=PARTLABEL=selvkasse-root-a rootfstype=squashfs ro console=ttyS0,115200 quiet systemd.show_status=error \
systemd.wants=selvkasse-healthfwd.socket systemd.wants=selvkasse-testctl.socket selvkasse.slot=a \
systemd.setenv=WLR_RENDERER=pixman systemd.setenv=GALLIUM_DRIVER=softpipe ${EXTRA_APPEND:-}"
T0=$(now)
qemu-system-x86_64 -machine q35,accel=tcg -cpu "${QEMU_CPU:-qemu64}" -smp 2 -m "${QEMU_MEM:-1536}" \
	-kernel "$OUT/vmlinuz" -initrd "$OUT/initrd.img" -append "$APPEND" \
	-drive "file=$OUT/selvkasse.img,if=virtio,format=raw,snapshot=on" \
	-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$HPORT-:18723,hostfwd=tcp:127.0.0.1:$CPORT-:18724" \
	-device virtio-net-pci,netdev=n0 \
	-device virtio-vga,xres=1280,yres=800 -display none \
	-device i6300esb -action watchdog=reset \
	-monitor "unix:$MON,server,nowait" -serial "file:$T/serial.log" \
	-no-reboot &
QPID=$!

# 1. Healthy: /healthz answers with a rendered screen, and systemd got
# READY=1 from the app (sent after the kiosk window's first frame), so
# selvkasse.service is active.
h=
while :; do
	kill -0 "$QPID" 2>/dev/null || { echo "image-test: qemu exited"; tail -n 40 "$T/serial.log"; exit 1; }
	h=$(health)
	if rendered "$h"; then
		[ -n "${RENDERED:-}" ] || { RENDERED=$(since "$T0"); echo "image-test: /healthz shows a screen ${RENDERED}s after starting qemu"; }
		[ "$(field "$(ctl status)" ActiveState)" = active ] && break
	fi
	if [ "$(since "$T0" | cut -d. -f1)" -ge "$HARD_TIMEOUT" ]; then
		echo "image-test: FAIL: no healthy kiosk ${HARD_TIMEOUT}s after starting qemu; last /healthz: ${h:-none}"
		[ -z "${RENDERED:-}" ] || echo "image-test: the screen rendered but selvkasse.service is not active: no READY=1 from the app (sd_notify)"
		echo "--- control: $(ctl status | tr '\n' ' ')"; ctl journal > "$T/journal.txt"
		tail -n 40 "$T/journal.txt"; exit 1
	fi
	sleep 1
done
HEALTHY=$(since "$T0")
echo "image-test: healthy (READY=1, /healthz) ${HEALTHY}s after starting qemu: $h"
echo "$h" > "$T/healthz.json"

# 2. The kiosk screen as PNG (a moment later, so the frame is on screen).
sleep "${SHOT_DELAY:-3}"
mon "screendump $T/screen.ppm"
sleep 2
convert "$T/screen.ppm" "$OUT/screen.png"
mean=$(convert "$OUT/screen.png" -colorspace Gray -format '%[fx:mean]' info:)
colors=$(convert "$OUT/screen.png" -format '%k' info:)
echo "image-test: screendump $OUT/screen.png ($(identify -format '%wx%h' "$OUT/screen.png"), mean $mean, $colors colours)"

# 3. Freeze the app; the watchdog must restart it.
s=$(ctl status)
echo "image-test: before: $(printf '%s' "$s" | tr '\n' ' ')"
N0=$(field "$s" NRestarts); P0=$(field "$s" AppPID); M0=$(field "$s" MainPID)
[ -n "$P0" ] || { echo "image-test: FAIL: no selvkasse process in the guest"; exit 1; }
F0=$(now)
echo "image-test: freeze: $(ctl freeze | tr '\n' ' ')"
state=frozen
while :; do
	if [ "$(since "$F0" | cut -d. -f1)" -ge "$RESTART_TIMEOUT" ]; then
		echo "image-test: FAIL: not restarted ${RESTART_TIMEOUT}s after the freeze ($(ctl status | tr '\n' ' '))"
		grep -a -i 'watchdog\|selvkasse' "$T/serial.log" | tail -n 20; exit 1
	fi
	s=$(ctl status)
	N=$(field "$s" NRestarts); P=$(field "$s" AppPID); M=$(field "$s" MainPID)
	if [ "$state" = frozen ] && [ -n "$N" ] && [ -n "$N0" ] && [ "$N" -gt "$N0" ]; then
		state=restarted
		echo "image-test: restarted $(since "$F0")s after the freeze: NRestarts $N0 -> $N, MainPID $M0 -> $M"
	fi
	if [ "$state" = restarted ]; then
		h=$(health)
		if rendered "$h" && [ -n "$P" ] && [ "$P" != "$P0" ] && [ "$(field "$s" ActiveState)" = active ]; then
			echo "image-test: healthy again $(since "$F0")s after the freeze, app pid $P0 -> $P: $h"
			break
		fi
	fi
	sleep 1
done
ctl journal > "$T/journal.txt"
grep -a 'selvkasse.service' "$T/journal.txt" | grep -a -i 'watchdog' | head -n 3 || true
awk -v h="$HEALTHY" -v t="$HEALTH_TIMEOUT" 'BEGIN {exit !(h <= t)}' || {
	echo "image-test: FAIL: screendump and watchdog restart OK, but healthy after ${HEALTHY}s, over the ${HEALTH_TIMEOUT}s target"; exit 1; }
echo "image-test: PASS (healthy ${HEALTHY}s after starting qemu; target ${HEALTH_TIMEOUT}s)"
