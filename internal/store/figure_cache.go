package store

import (
	"context"
	"sync"

	"dangjian/internal/auth"
	"dangjian/internal/event"
)

// WithFigureCache is a context in which the inputs of figures (the events
// of a subtree and span, the roster's counts of a scope and period) are
// read once and answered again from memory: a summary or the dashboard
// computes dozens of indicators over the same subtree and period, each from
// one of a few inputs, and all of them then agree. Figures computed at once
// wait for the one read. Use it for one request only; the answers are not
// refreshed.
func WithFigureCache(ctx context.Context) context.Context {
	if _, ok := ctx.Value(figureCacheKey{}).(*figureCache); ok {
		return ctx
	}
	return context.WithValue(ctx, figureCacheKey{}, &figureCache{m: map[figureKey]*figureEntry{}})
}

type figureCacheKey struct{}

// figureKey names one input: what is read, for which scope, organisation
// and days.
type figureKey struct {
	what string
	sc   auth.Scope
	org  int64
	span event.Span
}

// figureEntry is one input, read once: done closes when in and err are set.
type figureEntry struct {
	done chan struct{}
	in   any
	err  error
}

type figureCache struct {
	mu sync.Mutex
	m  map[figureKey]*figureEntry
}

// cached returns what read reads, from the context's cache when it has one.
func cached[T any](ctx context.Context, key figureKey, read func() (T, error)) (T, error) {
	c, _ := ctx.Value(figureCacheKey{}).(*figureCache)
	if c == nil {
		return read()
	}
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok {
		e = &figureEntry{done: make(chan struct{})}
		c.m[key] = e
	}
	c.mu.Unlock()
	if ok { // read, or being read by another figure of the same request
		<-e.done
	} else {
		e.in, e.err = read()
		close(e.done)
	}
	in, _ := e.in.(T)
	return in, e.err
}
