package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// result is what one run measured.
type result struct {
	phase, server string
	round         int
	clients       int
	elapsed       time.Duration
	cpu           time.Duration   // the server process's CPU time over the run, when known
	dbCPU         time.Duration   // the PostgreSQL backends' serving the run's database
	clientCPU     time.Duration   // the load process's
	load          string          // the machine's load average before the run
	latencies     []time.Duration // sorted once done
	errors        int
	samples       []string // the first few errors, to show
}

func (r *result) add(o *result) {
	r.clients++
	r.latencies = append(r.latencies, o.latencies...)
	r.errors += o.errors
	r.samples = append(r.samples, o.samples...)
	if len(r.samples) > 5 {
		r.samples = r.samples[:5]
	}
}

func (r *result) done() result {
	slices.Sort(r.latencies)
	return *r
}

// rate is the requests answered per second of the run.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.elapsed.Seconds()
}

// perRequest is a CPU time per answer, in ms: what a request costs the
// server (or its database), whatever else the machine was doing.
func (r result) perRequest(cpu time.Duration) string {
	if cpu <= 0 || len(r.latencies) == 0 {
		return ""
	}
	return fmt.Sprintf("%.3f", cpu.Seconds()*1000/float64(len(r.latencies)))
}

func (r result) cpuPerRequest() string { return r.perRequest(r.cpu) }

// cores is how much of the machine a CPU time over the run amounts to.
func (r result) cores(cpu time.Duration) string {
	if cpu <= 0 || r.elapsed <= 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", cpu.Seconds()/r.elapsed.Seconds())
}

// quantile is the nearest-rank q-quantile of the latencies.
func (r result) quantile(q float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.latencies[max(0, min(i, n-1))]
}

// runPhases drives each phase on both servers in alternating rounds — real
// then bare, then bare then real — so that a machine getting busier or
// quieter during the run weighs on both alike.
func runPhases(ctx context.Context, o options, w *world, lists, creators []*client, out io.Writer) (err error) {
	nonce := rand.IntN(10_000)
	var runs []result
	for _, name := range o.phases {
		ph := &phase{name: name, w: w, pages: o.pages}
		clients := lists
		if name == "create" {
			clients = creators
		}
		for round := 1; round <= o.rounds; round++ {
			order := slices.Clone(o.servers)
			if round%2 == 0 {
				slices.Reverse(order)
			}
			for _, server := range order {
				base := map[string]string{"real": w.real, "bare": w.bare}[server]
				var last int64
				if name == "create" {
					if last, err = lastPerson(ctx, w.control); err != nil {
						return err
					}
				}
				if o.warmup > 0 {
					nonce++
					ph.nonce = nonce
					ph.run(ctx, clients, base, time.Now().Add(o.warmup))
				}
				load, clientCPU := loadAverage(), processCPU()
				cpu, dbCPU := serverCPU(ctx, w.control)
				nonce++
				ph.nonce = nonce
				res := ph.run(ctx, clients, base, time.Now().Add(o.duration))
				res.phase, res.server, res.round, res.load = name, server, round, load
				if c, d := serverCPU(ctx, w.control); c > 0 && cpu > 0 {
					res.cpu, res.dbCPU = c-cpu, max(0, d-dbCPU)
				}
				if c := processCPU(); c > 0 {
					res.clientCPU = c - clientCPU
				}
				if name == "create" {
					if err := forget(ctx, w.control, last); err != nil {
						return err
					}
				}
				fmt.Fprintf(out, "%s %s %s round %d: %.0f req/s, p95 %s ms, server %s ms CPU a request, %d errors (load average %s)\n",
					w.dialect, name, server, round, res.rate(), ms(res.quantile(0.95)), res.cpuPerRequest(), res.errors, load)
				runs = append(runs, res)
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		}
	}
	report(out, w, runs)
	var bad []string
	for _, r := range runs {
		if r.errors > 0 {
			bad = append(bad, fmt.Sprintf("%d errors in %s %s round %d", r.errors, r.phase, r.server, r.round))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// report prints the runs and the ratios, in tables that go into RESULTS.md as they are.
func report(out io.Writer, w *world, runs []result) {
	fmt.Fprintf(out, "\n%s: roster %d current people; subtree %s %d people; 20 a page; load average after: %s\n\n",
		w.dialect, w.roster.People, w.roster.Branch.Name, w.roster.Subtree, loadAverage())
	fmt.Fprintln(out, "| phase | server | round | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | server cores | client cores | load avg before |")
	fmt.Fprintln(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range runs {
		fmt.Fprintf(out, "| %s | %s | %d | %d | %d | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.phase, r.server, r.round, len(r.latencies), r.errors,
			r.rate(), ms(r.quantile(0.50)), ms(r.quantile(0.95)), ms(r.quantile(0.99)), r.cpuPerRequest(), r.perRequest(r.dbCPU),
			r.cores(r.cpu), r.cores(r.clientCPU), r.load)
	}
	fmt.Fprintln(out, "\n| phase | real req/s | bare req/s | real ÷ bare | each round | real p95 ms | bare p95 ms | server CPU ms/req real | bare | bare ÷ real | PostgreSQL CPU ms/req real | bare |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, phase := range phasesOf(runs) {
		real, bare := pooled(runs, phase, "real"), pooled(runs, phase, "bare")
		var each []string
		for round := 1; ; round++ {
			rr, rb := find(runs, phase, "real", round), find(runs, phase, "bare", round)
			if rr == nil || rb == nil {
				break
			}
			each = append(each, fmt.Sprintf("%.2f", rr.rate()/rb.rate()))
		}
		ratio := ""
		if bare.rate() > 0 {
			ratio = fmt.Sprintf("**%.2f×**", real.rate()/bare.rate())
		}
		cpuRatio := ""
		if real.cpu > 0 && bare.cpu > 0 {
			cpuRatio = fmt.Sprintf("%.2f×", (bare.cpu.Seconds()/float64(len(bare.latencies)))/(real.cpu.Seconds()/float64(len(real.latencies))))
		}
		fmt.Fprintf(out, "| %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", phase, real.rate(), bare.rate(), ratio,
			strings.Join(each, ", "), ms(real.quantile(0.95)), ms(bare.quantile(0.95)), real.cpuPerRequest(), bare.cpuPerRequest(), cpuRatio,
			real.perRequest(real.dbCPU), bare.perRequest(bare.dbCPU))
	}
	fmt.Fprintln(out)
	for _, r := range runs {
		for _, e := range r.samples {
			fmt.Fprintf(out, "error in %s %s round %d: %s\n", r.phase, r.server, r.round, e)
		}
	}
}

func phasesOf(runs []result) []string {
	var out []string
	for _, r := range runs {
		if !slices.Contains(out, r.phase) {
			out = append(out, r.phase)
		}
	}
	return out
}

// pooled is all rounds of a phase on one server taken together.
func pooled(runs []result, phase, server string) result {
	var all result
	for _, r := range runs {
		if r.phase == phase && r.server == server {
			all.latencies = append(all.latencies, r.latencies...)
			all.elapsed += r.elapsed
			all.cpu += r.cpu
			all.dbCPU += r.dbCPU
		}
	}
	return all.done()
}

func find(runs []result, phase, server string, round int) *result {
	for i := range runs {
		if r := &runs[i]; r.phase == phase && r.server == server && r.round == round {
			return r
		}
	}
	return nil
}

// agree asks both servers the same questions and fails unless they answer
// with the same bytes: the bare server must do the same work, not less.
func agree(ctx context.Context, w *world, clients []*client) error {
	for _, c := range clients[:min(2, len(clients))] {
		for _, name := range []string{"api", "results"} {
			ph := &phase{name: name, w: w, pages: 3}
			var wk walker
			path := ph.numbered(c, 2)
			for page := 2; page <= 3; page++ {
				var bodies [2][]byte
				for i, base := range []string{w.real, w.bare} {
					status, body, err := c.do(ctx, "GET", base+path, nil, name == "results")
					if err != nil {
						return err
					}
					if problem := ph.check(c, &wk, page, status, body); problem != "" {
						return fmt.Errorf("%s %s %s: %s", []string{"real", "bare"}[i], c.role, path, problem)
					}
					bodies[i] = body
				}
				if !bytes.Equal(bodies[0], bodies[1]) {
					return fmt.Errorf("the servers disagree on %s %s:\n%s", c.role, path, difference(bodies[0], bodies[1]))
				}
				if path = wk.next; path == "" { // the link both offered, or the next number
					path = ph.numbered(c, page+1)
				}
			}
		}
	}
	return nil
}

// difference shows where two answers part.
func difference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("real: …%s…\nbare: …%s…", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
