#!/bin/sh
# Turn devices.conf ("NAME usb VID:PID [SERIAL]" or "NAME path ID_PATH")
# into udev rules on stdout.
set -eu
echo '# Generated from /etc/selvkasse/devices.conf by image/devrules.sh.'
echo '# Serial devices (scanner, payment terminal) are ttys; the printer may be a tty or usb/lp.'
grep -v '^[[:space:]]*\(#\|$\)' "$1" | while read -r name kind match serial; do
	case $kind in
	usb)
		vid=${match%%:*} pid=${match##*:}
		m="ATTRS{idVendor}==\"$vid\", ATTRS{idProduct}==\"$pid\""
		[ -n "${serial:-}" ] && m="$m, ATTRS{serial}==\"$serial\""
		;;
	path) m="ENV{ID_PATH}==\"$match\"" ;;
	*) echo "devrules.sh: $name: unknown kind $kind" >&2; exit 1 ;;
	esac
	for sub in tty usbmisc; do
		echo "SUBSYSTEM==\"$sub\", $m, SYMLINK+=\"selvkasse-$name\", GROUP=\"kiosk\", MODE=\"0660\""
	done
done
# GPIO character devices (cabinet lock, door sensor, key switch).
echo 'SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"'
