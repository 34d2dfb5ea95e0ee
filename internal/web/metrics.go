package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are what an operator's Prometheus scrapes: requests by route and
// status with their latency, the database pools, the job queue. Each server
// has its own registry (no global state).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dangjian_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "dangjian_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}},
			[]string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, db := range s.st.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	jobs := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "dangjian_jobs", Help: "Background jobs by kind and status."},
		[]string{"kind", "status"})
	m.reg.MustRegister(&jobCollector{s: s, desc: jobs})
	return m
}

// Metrics is the /metrics endpoint; serve it on an address only the
// monitoring system reaches (--metrics-addr), not on the public site.
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// measure counts and times a route's requests under its pattern, so the
// labels stay as few as the routes.
func (s *Server) measure(pattern string, next http.Handler) http.Handler {
	observe := s.metrics.latency.WithLabelValues(pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		observe.Observe(time.Since(start).Seconds())
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(sw.status)).Inc()
	})
}

// jobCollector reads the queue's counts when scraped.
type jobCollector struct {
	s    *Server
	desc *prometheus.GaugeVec
}

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) { c.desc.Describe(ch) }

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.s.st.JobCounts(ctx)
	if err != nil {
		c.s.log.Warn("metrics: job counts", "err", err)
		return
	}
	c.desc.Reset()
	for k, n := range counts {
		c.desc.WithLabelValues(k[0], k[1]).Set(float64(n))
	}
	c.desc.Collect(ch)
}
