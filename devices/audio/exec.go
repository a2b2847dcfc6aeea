package audio

import (
	"io"
	"os/exec"
)

// Process is a started child process.
type Process interface {
	// Wait waits for it to exit: nil for exit status 0.
	Wait() error
	// Kill ends it at once; Wait then returns.
	Kill() error
}

// Start starts program name with args, stdin from stdin and stderr into
// stderr (both may be nil). It is injected so tests run no program.
type Start func(name string, args []string, stdin io.Reader, stderr io.Writer) (Process, error)

// ExecStart starts a real child process (os/exec), never through a shell.
func ExecStart(name string, args []string, stdin io.Reader, stderr io.Writer) (Process, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stderr = stdin, stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return execProcess{cmd}, nil
}

type execProcess struct{ cmd *exec.Cmd }

func (p execProcess) Wait() error { return p.cmd.Wait() }
func (p execProcess) Kill() error { return p.cmd.Process.Kill() }
