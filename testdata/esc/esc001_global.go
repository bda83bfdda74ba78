package esc

import "sync"

type config struct {
	name string
	n    int
}

var (
	current  *config
	registry = map[string]*config{}
	history  []*config
	counter  *int
	holder   struct{ cfg *config }
	lastCopy config
	onceCfg  *config
	initCfg  *config
	once     sync.Once
	sink     *config // written, never read: a deliberate escape
)

func setCurrent(cur config) {
	current = &cur // want: ESC001
}

func addConfig(name string) {
	registry[name] = &config{name: name} // want: ESC001
}

func remember(n int) {
	rec := new(config)
	rec.n = n
	history = append(history, rec) // want: ESC001
}

func count() {
	tally := 0
	counter = &tally // want: ESC001
}

func (self config) install() {
	holder.cfg = &self // want: ESC001
}

// Near misses: a copy, a pointer the caller owns, a local map, setup code that runs once.

func keepCopy(c config) {
	lastCopy = c
}

func adopt(c *config) {
	current = c
}

func localOnly() int {
	m := map[string]*config{}
	m["a"] = &config{}
	return len(m)
}

func init() {
	initCfg = &config{name: "init"}
}

func lazy() *config {
	once.Do(func() {
		onceCfg = &config{name: "once"}
	})
	return onceCfg
}

func chosen(a, b *config, first bool) {
	p := a
	if !first {
		p = b
	}
	current = p
}

func forget(name string) {
	delete(registry, name)
	history = history[:0]
}

func snapshot() (string, int, *config) {
	return current.name, *counter, holder.cfg
}

func forceEscape() {
	var probe config
	sink = &probe
}

// Registered and returned: the caller gets the same object, which is on the heap anyway.
var profiles = map[string]*config{}

func newProfile(name string) *config {
	p := &config{name: name}
	profiles[name] = p
	return p
}

func dropProfile(name string) { delete(profiles, name) }
