// Package devices holds one package per device protocol: the drivers that
// implement the kiosk's device ports over an io.ReadWriter or stream, never
// a path. Only devices/serialport may import the serial library, and only
// devices/gpiocab (which opens a GPIO chip by name) imports gpiod; drivers
// never import each other, storage or app. devices/sim holds simulators;
// devices/audio what the two audio drivers (speech, sound) share, no driver
// of its own.
package devices
