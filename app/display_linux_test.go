//go:build linux && !wayland

package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestXAddrs(t *testing.T) {
	local := func(n string) [][2]string {
		return [][2]string{{"unix", "@/tmp/.X11-unix/X" + n}, {"unix", "/tmp/.X11-unix/X" + n}}
	}
	for _, c := range []struct {
		display string
		want    [][2]string
		number  string
	}{
		{":0", local("0"), "0"},
		{":1.0", local("1"), "1"},
		{"unix:12", local("12"), "12"},
		{"unix/:3", local("3"), "3"},
		{":07", local("7"), "7"},
		{"localhost:10.0", [][2]string{{"tcp", "localhost:6010"}}, "10"},
		{"10.0.0.5:1", [][2]string{{"tcp", "10.0.0.5:6001"}}, "1"},
		{"[::1]:2", [][2]string{{"tcp", "[::1]:6002"}}, "2"},
		{"tcp/kiosk:0", [][2]string{{"tcp", "kiosk:6000"}}, "0"},
		{"/private/tmp/com.apple.launchd.x/org.xquartz:0", nil, ""},
		{"host::0", nil, ""},
		{"nonsense", nil, ""},
		{":x", nil, ""},
		{":-1", nil, ""},
	} {
		if got, n := xAddrs(c.display); !slices.Equal(got, c.want) || n != c.number {
			t.Errorf("xAddrs(%q) = %v, %q; want %v, %q", c.display, got, n, c.want, c.number)
		}
	}
}

// fakeX is an X server's end of a connection for xProbe's tests: it
// reads the connection setup request, keeps it, and sends answer (nil:
// nothing, ever).
type fakeX struct {
	answer func(req xSetupRequest) []byte
	got    chan xSetupRequest
}

// xSetupRequest is what a client sent: its byte order and version, and
// its authorisation.
type xSetupRequest struct {
	order        byte
	major        uint16
	name, cookie string
}

// serve answers one client on c.
func (f fakeX) serve(c net.Conn) {
	defer c.Close()
	var h [12]byte
	if _, err := io.ReadFull(c, h[:]); err != nil {
		return
	}
	n, d := int(binary.LittleEndian.Uint16(h[6:])), int(binary.LittleEndian.Uint16(h[8:]))
	body := make([]byte, n+pad4(n)+d+pad4(d))
	if _, err := io.ReadFull(c, body); err != nil {
		return
	}
	req := xSetupRequest{order: h[0], major: binary.LittleEndian.Uint16(h[2:]),
		name: string(body[:n]), cookie: hex.EncodeToString(body[n+pad4(n) : n+pad4(n)+d])}
	if f.got != nil {
		f.got <- req
	}
	a := f.answer(req)
	if a == nil {
		_, _ = io.Copy(io.Discard, c) // until the client gives up
		return
	}
	_, _ = c.Write(a)
}

// xAnswer is a server's answer to the connection setup: Success (1) as
// its first 8 bytes, or Failed (0) or Authenticate (2) with reason.
func xAnswer(status byte, reason string) []byte {
	n := len(reason)
	b := make([]byte, 8, 8+n+pad4(n))
	b[0] = status
	if status == 0 {
		b[1] = byte(n)
		binary.LittleEndian.PutUint16(b[2:], 11)
	}
	if status != 1 {
		binary.LittleEndian.PutUint16(b[6:], uint16((n+pad4(n))/4))
		b = append(append(b, reason...), make([]byte, pad4(n))...)
	}
	return b
}

// xauthFile is an authority file's bytes (parseXauthority's format).
func xauthFile(entries ...xAuthEntry) []byte {
	var b []byte
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, e.family)
		for _, f := range [][]byte{e.addr, e.number, e.name, e.data} {
			b = append(binary.BigEndian.AppendUint16(b, uint16(len(f))), f...)
		}
	}
	return b
}

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestXDisplayProblem(t *testing.T) {
	const cookie = "00112233445566778899aabbccddeeff"
	refusal := "Authorization required, but no authorization protocol specified\n"
	// The server of each case: it lets in the right cookie, or whoever
	// comes, or nobody, or speaks something else.
	wantCookie := func(req xSetupRequest) []byte {
		if req.name == xCookieAuth && req.cookie == cookie {
			return xAnswer(1, "")
		}
		return xAnswer(0, refusal)
	}
	anyone := func(xSetupRequest) []byte { return xAnswer(1, "") }
	nobody := func(xSetupRequest) []byte { return xAnswer(0, refusal) }
	local := func(number string) xAuthEntry {
		return xAuthEntry{family: xFamilyLocal, addr: []byte("kiosk"), number: []byte(number), name: []byte(xCookieAuth), data: mustHex(t, cookie)}
	}
	for _, c := range []struct {
		name    string
		env     map[string]string
		answers map[string]func(xSetupRequest) []byte // dial address → its server
		auth    []byte                                // the authority file; nil: none
		want    string                                // "" = usable; else part of the problem
		fix     string                                // part of the fix; "" = the default
	}{
		{name: "unset", want: "DISPLAY is not set"},
		{name: "wayland only", env: map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, want: "WAYLAND_DISPLAY=wayland-0 is, but this build draws through X11"},
		{name: "abstract socket", env: map[string]string{"DISPLAY": ":0"}, answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X0": anyone}},
		{name: "socket file", env: map[string]string{"DISPLAY": ":0"}, answers: map[string]func(xSetupRequest) []byte{"/tmp/.X11-unix/X0": anyone}},
		{name: "no server", env: map[string]string{"DISPLAY": ":7"}, want: "the X server of DISPLAY=:7 does not answer (connection refused)"},
		{name: "tcp, not asked", env: map[string]string{"DISPLAY": "localhost:10.0"}, answers: map[string]func(xSetupRequest) []byte{"localhost:6010": nobody}},
		{name: "unknown form", env: map[string]string{"DISPLAY": "/private/tmp/launchd/org.xquartz:0"}},
		{name: "cookie from XAUTHORITY", env: map[string]string{"DISPLAY": ":7", "XAUTHORITY": "/x/auth"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie}, auth: xauthFile(local("8"), local("7"))},
		{name: "cookie from HOME", env: map[string]string{"DISPLAY": ":7.0", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie}, auth: xauthFile(local("7"))},
		{name: "cookie for every display", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie}, auth: xauthFile(local(""))},
		{name: "cookie of any host", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie},
			auth:    xauthFile(xAuthEntry{family: xFamilyWild, number: []byte("7"), name: []byte(xCookieAuth), data: mustHex(t, cookie)})},
		{name: "no cookie", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie},
			want:    "the X server of DISPLAY=:7 does not let the kiosk in (it says: Authorization required, but no authorization protocol specified)",
			fix:     "set XAUTHORITY"},
		{name: "cookie of another host", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie},
			auth:    xauthFile(xAuthEntry{family: xFamilyLocal, addr: []byte("till2"), number: []byte("7"), name: []byte(xCookieAuth), data: mustHex(t, cookie)}),
			want:    "does not let the kiosk in", fix: "set XAUTHORITY"},
		{name: "wrong cookie", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie},
			auth:    xauthFile(xAuthEntry{family: xFamilyLocal, addr: []byte("kiosk"), number: []byte("7"), name: []byte(xCookieAuth), data: []byte("0123456789abcdef")}),
			want:    "does not let the kiosk in", fix: "set XAUTHORITY"},
		{name: "authenticate", env: map[string]string{"DISPLAY": ":7"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": func(xSetupRequest) []byte { return xAnswer(2, "ask\x00me\x07") }},
			want:    "(it says: ask me)", fix: "set XAUTHORITY"},
		{name: "another protocol: the driver's", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": nobody},
			auth:    xauthFile(xAuthEntry{family: xFamilyLocal, addr: []byte("kiosk"), number: []byte("7"), name: []byte("XDM-AUTHORIZATION-1"), data: []byte("0123456789abcdef")})},
		{name: "another protocol after the cookie: the driver's", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": nobody},
			auth:    xauthFile(local("7"), xAuthEntry{family: xFamilyWild, number: []byte("7"), name: []byte("XDM-AUTHORIZATION-1"), data: []byte("0123456789abcdef")})},
		{name: "damaged file: the entries before", env: map[string]string{"DISPLAY": ":7", "HOME": "/x"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": wantCookie}, auth: append(xauthFile(local("7")), 1, 0, 0, 9)},
		{name: "not an X server", env: map[string]string{"DISPLAY": ":7"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": func(xSetupRequest) []byte { return []byte("HTTP/1.1 400 Bad Request\r\n") }},
			want:    "does not answer as an X server (x11: the answer to the connection setup begins with 0x48: not an X server)"},
		{name: "closes at once", env: map[string]string{"DISPLAY": ":7"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": func(xSetupRequest) []byte { return []byte{} }},
			want:    "does not answer as an X server (x11: no answer to the connection setup: EOF)"},
		{name: "silent: the driver's", env: map[string]string{"DISPLAY": ":7"},
			answers: map[string]func(xSetupRequest) []byte{"@/tmp/.X11-unix/X7": func(xSetupRequest) []byte { return nil }}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := xProbe{
				getenv: func(k string) string { return c.env[k] },
				dial: func(_, addr string) (net.Conn, error) {
					answer := c.answers[addr]
					if answer == nil {
						return nil, errors.New("connection refused")
					}
					client, server := net.Pipe()
					go fakeX{answer: answer}.serve(server)
					return client, nil
				},
				readFile: func(path string) ([]byte, error) {
					if c.auth == nil || path != "/x/auth" && path != "/x/.Xauthority" {
						return nil, fs.ErrNotExist
					}
					return c.auth, nil
				},
				hostname: func() (string, error) { return "kiosk", nil },
				wait:     time.Second,
			}
			got, fix := p.problem()
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("problem %q, want %q", got, c.want)
			}
			if c.fix == "" && fix != "" || !strings.Contains(fix, c.fix) {
				t.Errorf("fix %q, want %q", fix, c.fix)
			}
		})
	}
}

// TestXSetupRequest: the request is protocol 11.0, least significant byte
// first, with the cookie padded as § 8 has it.
func TestXSetupRequest(t *testing.T) {
	got := make(chan xSetupRequest, 1)
	client, server := net.Pipe()
	go fakeX{answer: func(xSetupRequest) []byte { return xAnswer(1, "") }, got: got}.serve(server)
	defer client.Close()
	if err := xSetup(client, []byte(xCookieAuth), []byte{1, 2, 3, 4, 5}); err != nil {
		t.Fatal(err)
	}
	want := xSetupRequest{order: 'l', major: 11, name: xCookieAuth, cookie: "0102030405"}
	if r := <-got; r != want {
		t.Errorf("request %+v, want %+v", r, want)
	}
}

// TestParseXauthority reads a file xauth(1) wrote (testdata/xauthority:
// `xauth -f F add kiosk/unix:7 MIT-MAGIC-COOKIE-1 0011…eeff`, then
// `add 10.0.0.5:1 MIT-MAGIC-COOKIE-1 ffee…1100`) and the same cut
// anywhere.
func TestParseXauthority(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "xauthority"))
	if err != nil {
		t.Fatal(err)
	}
	want := []xAuthEntry{
		{family: xFamilyLocal, addr: []byte("kiosk"), number: []byte("7"), name: []byte(xCookieAuth), data: mustHex(t, "00112233445566778899aabbccddeeff")},
		{family: 0, addr: []byte{10, 0, 0, 5}, number: []byte("1"), name: []byte(xCookieAuth), data: mustHex(t, "ffeeddccbbaa99887766554433221100")},
	}
	got, err := parseXauthority(b)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("parseXauthority = %+v, %v; want %+v", got, err, want)
	}
	if name, data, ok := xAuthFor(got, "kiosk", "7"); !ok || string(name) != xCookieAuth || hex.EncodeToString(data) != "00112233445566778899aabbccddeeff" {
		t.Errorf("xAuthFor(kiosk, 7) = %q, %x, %v", name, data, ok)
	}
	if name, _, ok := xAuthFor(got, "kiosk", "1"); !ok || name != nil {
		t.Errorf("xAuthFor(kiosk, 1) = %q, %v: the TCP entry is another host's", name, ok)
	}
	first := len(xauthFile(want[0]))
	for cut := 1; cut < len(b); cut++ {
		got, err := parseXauthority(b[:cut])
		if cut == first {
			if err != nil || len(got) != 1 {
				t.Errorf("cut at %d, after the first entry: %d entries, %v", cut, len(got), err)
			}
			continue
		}
		want := 0 // entries before the cut
		if cut > first {
			want = 1
		}
		if !errors.Is(err, errXauthority) || len(got) != want {
			t.Errorf("cut at %d: %d entries, %v; want %d and errXauthority", cut, len(got), err, want)
		}
	}
}

// FuzzParseXauthority: any bytes give entries and maybe an error, never a
// panic; the entries read are the file's start, byte for byte.
func FuzzParseXauthority(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "xauthority")); err == nil {
		f.Add(b)
	}
	f.Add([]byte{0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseXauthority(b)
		again := xauthFile(got...)
		if !bytes.HasPrefix(b, again) || err == nil && len(again) != len(b) {
			t.Fatalf("entries %+v (%v) are not the file's start", got, err)
		}
	})
}

// FuzzXSetupReply: any answer to the connection setup is Success, a
// refusal or an error, never a panic; only a first byte 1 lets in.
func FuzzXSetupReply(f *testing.F) {
	f.Add(xAnswer(1, ""))
	f.Add(xAnswer(0, "Authorization required, but no authorization protocol specified\n"))
	f.Add(xAnswer(2, "ask"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := readXSetupReply(bytes.NewReader(b))
		if (err == nil) != (len(b) >= 8 && b[0] == 1) {
			t.Fatalf("answer % x: %v", b, err)
		}
		var refused *xRefused
		if errors.As(err, &refused) && strings.ContainsFunc(refused.reason, unicode.IsControl) {
			t.Fatalf("the reason %q has control characters", refused.reason)
		}
	})
}

// TestNoDisplay: `demo` and `run` without a display, or with one whose X
// server does not let them in, say so in one plain line and exit 1
// before they touch the data dir (no journal, no start recorded, no
// device opened). Each runs in a child process (this test binary), as a
// technician would start it: the old code panicked in Fyne's GLFW driver,
// with a C trace, after the journal had recorded a start (without a
// display until 6fe550d; refused until the X server was asked first).
func TestNoDisplay(t *testing.T) {
	if os.Getenv("SELVKASSE_NODISPLAY_ARGS") != "" {
		t.Skip("the child")
	}
	for _, c := range []struct {
		name, display string
		args          func(data string) []string
		want          string
	}{
		{"demo/unset", "", func(data string) []string { return []string{"demo", "--data", data, "--health", "127.0.0.1:0"} },
			"selvkasse: demo: no display: DISPLAY is not set"},
		{"demo/no-server", ":59531", func(data string) []string { return []string{"demo", "--data", data, "--health", "127.0.0.1:0"} },
			"selvkasse: demo: no display: the X server of DISPLAY=:59531 does not answer"},
		// A server that answers and refuses the kiosk, as an X server
		// started with -auth refuses a client without its cookie.
		{"demo/refused", mustRefusingX(t), func(data string) []string { return []string{"demo", "--data", data, "--health", "127.0.0.1:0"} },
			"selvkasse: demo: no display: the X server of DISPLAY=:59532 does not let the kiosk in (it says: Authorization required, but no authorization protocol specified); " +
				"the kiosk needs that display's cookie: set XAUTHORITY"},
		{"run/unset", "", func(data string) []string {
			return []string{"run", "--config", mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "`+data+`",
				"shop": {"name": "S", "org_no": "1"}, "health": "127.0.0.1:0",
				"devices": {"terminal": {"path": "`+filepath.Join(t.TempDir(), "no-terminal")+`"}}}`)}
		}, "selvkasse: run: no display: DISPLAY is not set"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			// A start that waits for a window or a device is a failure
			// too: the old code could hang on a missing terminal.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestNoDisplayChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "DISPLAY="+c.display, "WAYLAND_DISPLAY=", "XAUTHORITY="+filepath.Join(t.TempDir(), "none"),
				"SELVKASSE_NODISPLAY_ARGS="+strings.Join(c.args(data), "\x1f"))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit: %v, want status 1", err)
			}
			msg := stderr.String()
			if !strings.HasPrefix(msg, c.want) || strings.Count(msg, "\n") != 1 ||
				strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
				t.Errorf("stderr, want one line starting %q:\n%s", c.want, msg)
			}
			if !strings.Contains(msg, "Xvfb :1") && !strings.Contains(msg, "XAUTHORITY") {
				t.Errorf("stderr does not say how to get a display: %s", msg)
			}
			if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the data dir was touched (%v): a start may have been journaled", err)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %s", stdout.String())
			}
		})
	}
}

// mustRefusingX listens, until the end of tb, on the abstract socket of
// X display :59532 (no file, no privilege needed) and answers every
// client's connection setup with Failed, as Xvfb -auth does to a client
// without its cookie. It returns the display's name.
func mustRefusingX(tb testing.TB) string {
	tb.Helper()
	refuse := fakeX{answer: func(xSetupRequest) []byte {
		return xAnswer(0, "Authorization required, but no authorization protocol specified\n")
	}}
	mustServe(tb, "unix", "@"+xSocketDir+"X59532", refuse.serve)
	return ":59532"
}

// TestNoDisplayChild is TestNoDisplay's child: it runs the command line
// in SELVKASSE_NODISPLAY_ARGS and exits with its status.
func TestNoDisplayChild(t *testing.T) {
	args := os.Getenv("SELVKASSE_NODISPLAY_ARGS")
	if args == "" {
		t.Skip("run by TestNoDisplay")
	}
	os.Exit(Main(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}
