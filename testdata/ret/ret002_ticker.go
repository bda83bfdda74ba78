package ret

import (
	"context"
	"time"
)

type monitor struct {
	lastSeen map[string]time.Time
	failures map[string]int
	active   map[string]bool
	pending  map[int]string
	queued   map[int]string
	drafts   map[int]string
}

func (m *monitor) consume(in <-chan int) {
	for {
		v := <-in
		m.queued[v] = "queued" // want: RET002
	}
}

func startMonitor(m *monitor, in <-chan int) {
	go m.consume(in)
}

// consumeInline has the same loop but is never started with go: the caller's loop is not long-running.
func (m *monitor) consumeInline(in <-chan int) {
	for {
		v, ok := <-in
		if !ok {
			return
		}
		m.drafts[v] = "draft"
	}
}

func (m *monitor) run(t *time.Ticker, next func() string) {
	for range t.C {
		m.lastSeen[next()] = time.Now() // want: RET002
	}
}

func (m *monitor) poll(ctx context.Context, probe func() (string, bool)) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if host, ok := probe(); !ok {
				m.failures[host]++ // want: RET002
			}
		}
	}
}

func watch(events <-chan string) {
	seen := map[string]int{}
	go func() {
		for {
			e := <-events
			seen[e] = len(e) // want: RET002
		}
	}()
}

var lastTick = map[int64]time.Time{}

func recordTicks() {
	for now := range time.Tick(time.Minute) {
		lastTick[now.Unix()] = now // want: RET001 RET002
	}
}

// Near misses.

func (m *monitor) sweep(t *time.Ticker, next func() string) {
	for range t.C {
		m.active[next()] = true // active is deleted from below
		for k := range m.active {
			delete(m.active, k)
		}
	}
}

func (m *monitor) bounded(t *time.Ticker, ids []int) {
	for i := range ids {
		m.pending[ids[i]] = "x" // not a long-running loop
	}
	for range t.C {
		m.pending[0] = "tick" // constant key
		round := map[string]int{}
		round[time.Now().String()] = 1 // a fresh map each tick
		_ = round
	}
}

func watchLocal(events <-chan string) {
	go func() {
		local := map[string]int{}
		for {
			e := <-events
			local[e] = 1 // declared inside the goroutine... and then
			if len(local) > 100 {
				clear(local) // ...cleared
			}
		}
	}()
}
