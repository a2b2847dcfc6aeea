// Package kiosktest holds exported, recording fakes of the kiosk's ports and
// one conformance suite per port.
//
// The fakes are mutex-safe and keep what a test needs to inspect, like
// net/http/httptest.ResponseRecorder. A conformance suite is an exported
// function taking *testing.T and a constructor; the package's own tests run
// each suite against its fake, and each real implementation (devices/…,
// storage) runs the same suite against itself, so fake and real agree.
//
// It imports the standard library (testing included) and selvkasse/kiosk
// only.
package kiosktest
