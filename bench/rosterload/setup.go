package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"dangjian/bench"
)

// world is one database with both servers running on it, in the server process.
type world struct {
	dialect             string
	roster              *bench.Roster
	real, bare, control string // base URLs
}

// measure starts the server process for a dialect, signs the clients in,
// checks that both servers agree and runs the phases.
func measure(ctx context.Context, o options, dialect string, out io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"-serve", dialect, "-people", strconv.Itoa(o.people), "-seed", strconv.FormatInt(o.seed, 10),
		"-data-dir", o.dataDir, "-pg-url", o.pgAdmin, "-pg-database", o.pgDatabase, "-keep=" + strconv.FormatBool(o.keep)}
	if o.cpuProfile != "" {
		p := o.cpuProfile
		if len(o.dialects) > 1 { // cpu.pb → cpu.sqlite.pb, cpu.postgres.pb
			ext := filepath.Ext(p)
			p = strings.TrimSuffix(p, ext) + "." + dialect + ext
		}
		args = append(args, "-cpuprofile", p)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	rd, rest, err := readLines(stdout, out)
	if err != nil {
		stdin.Close()
		cmd.Wait()
		return err
	}
	defer func() {
		stdin.Close() // the server process shuts down
		<-rest        // and has said so before the pipe closes
		cmd.Wait()
	}()
	fmt.Fprintf(out, "%s: database ready in %s (%d people imported): %d current people, %s (id %d) subtree %d people\n",
		dialect, rd.Imported.Round(1e9), rd.Roster.Added, rd.Roster.People, rd.Roster.Branch.Name, rd.Roster.Branch.ID, rd.Roster.Subtree)
	w := &world{dialect: dialect, roster: &rd.Roster, real: rd.Real, bare: rd.Bare, control: rd.Control}
	// Cookies belong to the host, not the port: a client signed in on the
	// real server presents the same session to the bare one.
	// Half the clients list as the branch secretary, half as the committee;
	// everyone creates as the committee, in the 机关党委 outside the branch.
	lists, err := logIn(ctx, w.real, o.clients, o.seed, branch1, committee)
	if err != nil {
		return err
	}
	creators, err := logIn(ctx, w.real, o.clients, o.seed, committee)
	if err != nil {
		return err
	}
	if err := agree(ctx, w, lists); err != nil {
		return err
	}
	return runPhases(ctx, o, w, lists, creators, out)
}
