// Package gpiocab drives the tobacco cabinet over GPIO lines: the electric
// lock (an output), the door's reed switch (an input) and, optionally, the
// lock's bolt-monitor contact, the staff key switch and a lamp at the
// counter. Cabinet implements kiosk.CabinetLock and, with the key switch,
// kiosk.StaffApproval.
//
// The driver (New, Cabinet) is written against two small interfaces,
// OutputLine and InputLine, and runs on fake lines in the tests. Open, on
// Linux only (open_linux.go), requests the real lines with
// github.com/warthog618/gpiod v0.8.2 and hands them to New; elsewhere it
// returns an error wrapping errors.ErrUnsupported (open_other.go).
//
// # Reference wiring
//
// DefaultConfig describes this wiring; offsets are the BCM numbers of a
// Raspberry Pi's header (check with gpioinfo on the real board):
//
//	line 17  out  lock      relay or MOSFET stage of a fail-secure solenoid lock:
//	                        high = coil energised = unlocked
//	line 25  in   feedback  the lock's bolt-monitor contact to ground, pull-up:
//	                        low = bolt thrown (ActiveLow)
//	line 27  in   door      normally open reed switch to ground, closed by the
//	                        door's magnet, pull-up: high = door open
//	line 22  in   key       approve position of a two-way spring-return key
//	                        switch, contact to ground, pull-up (ActiveLow)
//	line 23  in   refuse    refuse position of the same key switch (ActiveLow)
//	line 24  out  lamp      lamp or buzzer at the counter, lit while an age
//	                        check waits
//
// Polarity is per line (Pin.ActiveLow) and the Cabinet applies it itself;
// Open requests every line active-high. "Active" means energised for the
// lock, open for the door, bolt thrown for the feedback, turned for a key
// position, lit for the lamp. Which level locks follows from
// Config.FailSafe: a fail-secure lock (the default, and what a tobacco
// cabinet wants: it stays locked without power) is energised to unlock; a
// fail-safe lock (a maglock) is energised to lock. A relay board whose
// input is active-low (many opto-isolated modules) takes Lock.ActiveLow.
// Choose the driver stage so that an undriven line (the board before the
// kiosk runs) leaves the coil off. The lock line is requested already at
// the locked level, and Close drives it there before releasing it.
//
// With this door wiring a cut wire reads as an open door, which the kiosk
// notices, rather than as a closed one.
//
// # Lock faults
//
// kiosk.ErrLockFault needs the bolt-monitor contact (Config.Feedback): after
// setting the lock line, Unlock and Lock wait up to Config.FeedbackTimeout
// (on the injected kiosk.Clock) for the contact to report the bolt moved.
// Without it they return nil once the line is set: a jammed bolt goes
// unnoticed. A line that cannot be set gives kiosk.ErrDeviceUnavailable.
//
// # Staff key switch
//
// A shop wires a keyed two-way switch that springs back to the middle:
// turned one way it approves (Config.Key), the other way it refuses
// (Config.Refuse); a key switch with one position plus a refuse button
// beside it is wired the same way. Only staff carry the key. A turn
// answers the oldest waiting age check; a key already held when the check
// comes must be let go and turned again. The key cannot tell who turned
// it: answers name Config.Staff. Without a Refuse line staff cannot refuse
// at the cabinet; the kiosk's own timeout or the customer's cancel then
// withdraws the request. A key switch bounces; keep Config.Debounce on
// (DefaultConfig: 20 ms), or one turn may answer two queued checks.
//
// # Kernel and permissions
//
// Debouncing is done by the kernel (gpiod's WithDebounce, GPIO uAPI v2,
// Linux 5.10), and edge times come from its realtime event clock (Linux
// 5.11). Door events are therefore delivered as the kernel reports them;
// the Cabinet drops only a repeated level, which means an edge was lost.
//
// The kiosk runs as an unprivileged user. The appliance image gives it the
// GPIO character devices with a udev rule, not this package; a sketch:
//
//	# /etc/udev/rules.d/60-selvkasse-gpio.rules
//	SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"
//
// with the kiosk user in the gpio group. A line can be held by one process
// at a time: gpioinfo shows the Cabinet's lines as "selvkasse-lock",
// "selvkasse-door" and so on.
//
// Imports: the standard library, selvkasse/kiosk and
// github.com/warthog618/gpiod (open_linux.go only). This is the only
// package of the project that imports gpiod. Its tests also import
// selvkasse/kiosk/kiosktest.
package gpiocab
