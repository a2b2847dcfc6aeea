package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"selvkasse/app/staffpin"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

const staffUsage = `staff: usage:
  selvkasse staff add --data DIR --id ID --name NAME --role clerk|supervisor|technician --badge BADGE
  selvkasse staff list --data DIR
  selvkasse staff set-pin --data DIR --id ID
  selvkasse staff disable --data DIR --id ID
The PIN (4 to 8 digits) is asked for twice without echo on a terminal, or
read as one line from standard input. BADGE is the badge's id without the
scanner's staff prefix: the badge STAFF-ola is --badge ola.`

// staffCmd: `selvkasse staff add|list|set-pin|disable --data DIR …`, the
// staff register. Changes are journaled (13999 staff-added,
// staff-pin-set, staff-disabled), never with the badge or the PIN. in is
// where the PIN is read from.
func staffCmd(args []string, in io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(staffUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("staff "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	id := fs.String("id", "", "staff ID")
	var name, role, badge *string
	switch sub {
	case "add":
		name = fs.String("name", "", "full name")
		role = fs.String("role", "", "clerk, supervisor or technician")
		badge = fs.String("badge", "", "badge id, without the staff prefix")
	case "list", "set-pin", "disable":
	default:
		return usageError(fmt.Sprintf("staff: unknown subcommand %q\n%s", sub, staffUsage))
	}
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(fmt.Sprintf("staff %s: %v\n%s", sub, err, staffUsage))
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("staff %s: unexpected argument %q\n%s", sub, fs.Arg(0), staffUsage))
	}
	if sub != "list" && *id == "" {
		return usageError(fmt.Sprintf("staff %s: --id is required\n%s", sub, staffUsage))
	}
	if sub == "add" && (*name == "" || *role == "" || *badge == "") {
		return usageError("staff add: --id, --name, --role and --badge are required\n" + staffUsage)
	}
	c := staffCLI{data: *data, in: in, stdout: stdout, stderr: stderr, hasher: staffpin.New()}
	ctx := context.Background()
	var err error
	switch sub {
	case "add":
		err = c.add(ctx, *id, *name, *role, *badge)
	case "list":
		err = c.list(ctx)
	case "set-pin":
		err = c.setPIN(ctx, *id)
	case "disable":
		err = c.disable(ctx, *id)
	}
	if err != nil {
		return fmt.Errorf("staff %s: %w", sub, err)
	}
	return nil
}

type staffCLI struct {
	data           string
	in             io.Reader
	stdout, stderr io.Writer
	hasher         kiosk.PINHasher
}

// open opens the data dir, saying what to do when the kiosk has it.
func (c staffCLI) open() (*storage.DB, error) { return openStopped(c.data) }

// openStopped opens the data dir for a command that changes it with the
// kiosk stopped, saying what to do when the kiosk has it.
func openStopped(dir string) (*storage.DB, error) { return openStoppedWith(dir, storage.Options{}) }

// openStoppedWith is openStopped with opts.
func openStoppedWith(dir string, opts storage.Options) (*storage.DB, error) {
	db, err := storage.Open(dir, opts)
	if errors.Is(err, storage.ErrInUse) {
		return nil, fmt.Errorf("%w (the kiosk is running on it: stop it first, e.g. systemctl stop selvkasse)", err)
	}
	return db, err
}

func (c staffCLI) add(ctx context.Context, id, name, roleName, badge string) error {
	role, err := kiosk.ParseRole(roleName)
	if err != nil {
		return err
	}
	if strings.HasPrefix(badge, "STAFF-") {
		return fmt.Errorf("%w: give the badge without the scanner's staff prefix: --badge %s for the badge %s",
			kiosk.ErrInvalidStaff, strings.TrimPrefix(badge, "STAFF-"), badge)
	}
	s := kiosk.Staff{ID: id, Name: name, Role: role, Badge: badge, Active: true}
	if err := s.ValidateDetails(); err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if old, err := db.Staff(ctx, id); err == nil {
		return fmt.Errorf("the id %s is taken by %s (%s, %s); staff IDs are never reused: %w", id, old.Name, old.Role, activeWord(old.Active), kiosk.ErrConflict)
	} else if !errors.Is(err, kiosk.ErrNotFound) {
		return err
	}
	if holder, err := db.StaffByBadge(ctx, badge); err == nil {
		return fmt.Errorf("the badge %s is %s's (%s); disable them first or give another badge: %w", badge, holder.Name, holder.ID, kiosk.ErrConflict)
	} else if !errors.Is(err, kiosk.ErrNotFound) {
		return err
	}
	if s.PIN, err = c.newPIN(fmt.Sprintf("PIN for %s (4-8 digits): ", name)); err != nil {
		return err
	}
	if err := db.AddStaff(ctx, s, kiosk.StaffEntry(kiosk.SubStaffAdded, s, time.Now(), currentUser())); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "added %s: %s, %s, badge %s\n", s.ID, s.Name, s.Role, s.Badge)
	return nil
}

func activeWord(active bool) string {
	if active {
		return "active"
	}
	return "disabled"
}

func (c staffCLI) list(ctx context.Context) error {
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	ss, err := db.ListStaff(ctx)
	if err != nil {
		return err
	}
	if len(ss) == 0 {
		fmt.Fprintf(c.stdout, "no staff in %s\n", c.data)
		return nil
	}
	now := time.Now()
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tSTATUS\tBADGE\tNAME")
	for _, s := range ss {
		status := activeWord(s.Active)
		if s.Active {
			l, err := db.LoginState(ctx, s.ID)
			if err != nil {
				return err
			}
			switch {
			case l.Locked(now):
				status = "locked until " + l.LockedUntil.Local().Format("15:04:05")
			case l.Failures > 0:
				status = fmt.Sprintf("active, %d wrong PIN(s)", l.Failures)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Role, status, s.Badge, s.Name)
	}
	return tw.Flush()
}

func (c staffCLI) setPIN(ctx context.Context, id string) error {
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := activeStaff(ctx, db, id, "is disabled and cannot get a new PIN")
	if err != nil {
		return err
	}
	h, err := c.newPIN(fmt.Sprintf("new PIN for %s (4-8 digits): ", s.Name))
	if err != nil {
		return err
	}
	if err := db.SetPIN(ctx, id, h, kiosk.StaffEntry(kiosk.SubStaffPINSet, s, time.Now(), currentUser())); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "new PIN set for %s (%s); the badge is unlocked\n", s.ID, s.Name)
	return nil
}

func (c staffCLI) disable(ctx context.Context, id string) error {
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := activeStaff(ctx, db, id, "is already disabled")
	if err != nil {
		return err
	}
	if err := db.DisableStaff(ctx, id, kiosk.StaffEntry(kiosk.SubStaffDisabled, s, time.Now(), currentUser())); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "disabled %s (%s); the badge %s is free\n", s.ID, s.Name, s.Badge)
	return nil
}

// newPIN reads a new PIN and hashes it: asked for twice without echo on a
// terminal, else one line of c.in.
func (c staffCLI) newPIN(prompt string) (kiosk.PINHash, error) {
	var pin string
	if f, ok := c.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		first, err := readHidden(f, c.stderr, prompt)
		if err != nil {
			return kiosk.PINHash{}, err
		}
		if err := kiosk.CheckPIN(first); err != nil {
			return kiosk.PINHash{}, err
		}
		again, err := readHidden(f, c.stderr, "again: ")
		if err != nil {
			return kiosk.PINHash{}, err
		}
		if again != first {
			return kiosk.PINHash{}, errors.New("the two PINs differ; nothing was changed")
		}
		pin = first
	} else {
		var err error
		if pin, err = readPINLine(c.in); err != nil {
			return kiosk.PINHash{}, err
		}
	}
	return c.hasher.Hash(pin)
}

func readHidden(f *os.File, prompt io.Writer, text string) (string, error) {
	fmt.Fprint(prompt, text)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read PIN: %w", err)
	}
	return string(b), nil
}

// readPINLine reads the PIN as the first line of r, for scripts.
func readPINLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 256)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read PIN from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no PIN on standard input (give it as one line, or run on a terminal to be asked)")
	}
	return line, nil
}

// currentUser names who runs the command, for the journal; "" when it
// cannot be told.
func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// activeStaff returns staff member id, or an error saying why (as
// disabled) a disabled one cannot be changed.
func activeStaff(ctx context.Context, st kiosk.StaffStore, id, disabled string) (kiosk.Staff, error) {
	s, err := st.Staff(ctx, id)
	if err != nil {
		return kiosk.Staff{}, err
	}
	if !s.Active {
		return kiosk.Staff{}, fmt.Errorf("%s (%s) %s: %w", s.ID, s.Name, disabled, kiosk.ErrConflict)
	}
	return s, nil
}
