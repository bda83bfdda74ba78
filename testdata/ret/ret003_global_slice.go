package ret

import "sync"

var (
	auditLog []string
	events   []event
	history  struct {
		sync.Mutex
		entries []int
	}
)

type event struct {
	name string
	at   int64
}

func audit(line string) {
	auditLog = append(auditLog, line) // want: RET003
}

func emit(name string, at int64) {
	events = append(events, event{name, at}) // want: RET003
	events = append(events, event{name: name + "!"})
}

var parenthesisedLog []string

func auditOdd(line string) {
	parenthesisedLog = append( (parenthesisedLog), line) // want: RET003
}

func remember3(n int) {
	history.Lock()
	history.entries = append(history.entries, n) // want: RET003
	history.Unlock()
}

// Near misses.

var (
	ring      []int
	queue     []string
	window    []int
	atStartup []string
	addressed []int
	snapshot  []int
)

func nearSlices(n int, s string) {
	ring = append(ring, n)
	if len(ring) > 64 {
		ring = ring[1:] // resliced
	}
	queue = append(queue, s) // popped in pop
	window = append(window, n)
	addressed = append(addressed, n)
	fill(&addressed)                         // its address is handed out
	snapshot = append([]int(nil), window...) // a copy, not growth of snapshot
	_ = pop()
}

func pop() string {
	q := queue[0]
	queue = append(queue[:0], queue[1:]...)
	window = nil
	return q
}

func fill(p *[]int) { *p = (*p)[:0] }

func init() {
	atStartup = append(atStartup, "a", "b")
}
