// Package gpiocab drives the tobacco cabinet over GPIO lines: for each
// compartment an electric lock (an output), the door's reed switch (an
// input) and, optionally, the lock's bolt-monitor contact; the staff key
// switch and a lamp at the counter; and the intervention light, a signal
// tower with green, yellow and red lamps and a buzzer. Cabinet implements
// kiosk.CabinetLock and, with the key switch, kiosk.StaffApproval and
// kiosk.StaffKey; its Tower (Cabinet.Light) implements kiosk.TowerLight.
//
// The driver (New, Cabinet) is written against two small interfaces,
// OutputLine and InputLine, and runs on fake lines in the tests. Open, on
// Linux only (open_linux.go), requests the real lines with
// github.com/warthog618/gpiod v0.8.2 and hands them to New; elsewhere it
// returns an error wrapping errors.ErrUnsupported (open_other.go).
//
// # Reference wiring
//
// DefaultConfig describes this wiring, with one compartment;
// ReferenceCompartments adds compartments 2 and 3. Offsets are the BCM
// numbers of a Raspberry Pi's header (check with gpioinfo on the real
// board); they leave the header's I2C (2, 3), SPI (7–11) and UART (14, 15)
// pins free:
//
//	line 17  out  lock 1     relay or MOSFET stage of compartment 1's
//	                         fail-secure solenoid lock: high = coil
//	                         energised = unlocked
//	line 25  in   feedback 1 compartment 1's bolt-monitor contact to ground,
//	                         pull-up: low = bolt thrown (ActiveLow)
//	line 27  in   door 1     normally open reed switch to ground, closed by
//	                         the door's magnet, pull-up: high = door open
//	line 12  out  lock 2     compartment 2, wired as compartment 1
//	line 20  in   feedback 2
//	line 16  in   door 2
//	line 26  out  lock 3     compartment 3, wired as compartment 1
//	line 18  in   feedback 3
//	line 21  in   door 3
//	line 22  in   key        approve position of a two-way spring-return key
//	                         switch, contact to ground, pull-up (ActiveLow)
//	line 23  in   refuse     refuse position of the same key switch (ActiveLow)
//	line 24  out  lamp       lamp or buzzer at the counter, lit while an age
//	                         check waits
//	line 5   out  green      the tower's lamps and buzzer, each through a
//	line 6   out  yellow     relay or MOSFET stage (24 V towers): high = lit,
//	line 13  out  red        high = sounding
//	line 19  out  buzzer
//
// Polarity is per line (Pin.ActiveLow) and the Cabinet applies it itself;
// Open requests every line active-high. "Active" means energised for a
// lock, open for a door, bolt thrown for a feedback contact, turned for a
// key position, lit for a lamp, sounding for the buzzer. Which level
// locks follows from Config.FailSafe: a fail-secure lock (the default,
// and what a tobacco cabinet wants: it stays locked without power) is
// energised to unlock; a fail-safe lock (a maglock) is energised to lock.
// A relay board whose input is active-low (many opto-isolated modules)
// takes Lock.ActiveLow. Choose the driver stage so that an undriven line
// (the board before the kiosk runs) leaves the coil off. The lock lines
// are requested already at the locked level, and Close drives them there
// before releasing them.
//
// With this door wiring a cut wire reads as an open door, which the kiosk
// notices, rather than as a closed one. Each compartment's door has its
// own sensor, so the kiosk can tell a door opened on a compartment it did
// not unlock (a forced door) from the one it released.
//
// # Lock faults
//
// The lock is asserted locked at start (New drives every lock line
// locked first), after every fault, and at Close. kiosk.ErrLockFault needs
// the bolt-monitor contact (Compartment.Feedback): after setting the lock
// lines, Unlock and Lock wait up to Config.FeedbackTimeout (on the
// injected kiosk.Clock) for the contacts to report the bolts moved.
// Without it they return nil once the line is set: a jammed bolt goes
// unnoticed. A line that cannot be set gives kiosk.ErrDeviceUnavailable.
// An Unlock that fails for any reason drives every lock it named back to
// locked.
//
// # Intervention light
//
// The Tower shows one colour at a time; a blinking lamp goes on and off
// once a BlinkPeriod (about 1 Hz) and the chime is a ChimeLength (200 ms)
// beep, both timed on the Config's Clock; an alarm keeps the buzzer on
// until the next Show. Lamps and buzzer are optional one by one.
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
// A turn to approve while no age check waits is staff logging in
// (kiosk.StaffKey): WaitKeyTurn reports it, once. Such turns that nobody
// waits for are kept as one; a turn that answers an age check, and a turn
// to refuse, is never a log-in.
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
// at a time: gpioinfo shows the Cabinet's lines as "selvkasse-lock1",
// "selvkasse-door1" and so on.
//
// Imports: the standard library, selvkasse/kiosk and
// github.com/warthog618/gpiod (open_linux.go only). This is the only
// package of the project that imports gpiod. Its tests also import
// selvkasse/kiosk/kiosktest.
package gpiocab
