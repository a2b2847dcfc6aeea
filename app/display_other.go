//go:build !linux || wayland

package app

// displayProblem is an honest stub here: on macOS and Windows a desktop
// session always has a display, and the Wayland build's GLFW reports its
// own errors; there is nothing checked ahead of the driver.
func displayProblem() (why, fix string) { return "", "" }
