package ret

import (
	"strings"
	"sync"
)

// A helper that only start-up code calls runs when it does: what it adds is set-up, not growth.

var envDefaults = map[string]string{}

var envOnce sync.Once

func loadEnv() {
	readEnvLines("GOFLAGS=-mod=mod\nCGO_ENABLED=0")
}

func readEnvLines(data string) {
	for _, line := range strings.Split(data, "\n") {
		k, v, _ := strings.Cut(line, "=")
		envDefaults[k] = v // near miss: called only from a sync.Once callback
	}
}

func Env(key string) string {
	envOnce.Do(loadEnv)
	return envDefaults[key]
}

var aliases = map[string]string{}

func init() {
	addAlias("ls", "list")
}

func addAlias(name, target string) {
	aliases[name] = target // want: RET001
}

// AddAlias lets callers add aliases at any time: addAlias is not start-up code any more.
func AddAlias(name, target string) {
	addAlias(name, target)
}

var builtins = map[string]bool{}

func init() {
	setupBuiltins([]string{"len", "cap"})
}

func setupBuiltins(names []string) {
	for _, n := range names {
		markBuiltin(n)
	}
}

func markBuiltin(n string) {
	builtins[n] = true // near miss: a helper of a helper of init
}

// What start-up code hands on (a handler, a goroutine) runs later and again and again: not start-up.

var visits = map[string]int{}

var queued = map[string]int{}

var handlers = map[string]func(string){}

func init() {
	handlers["/"] = func(path string) { countVisit(path) }
	go func() {
		for p := range pathQueue {
			queued[p]++ // want: RET001
		}
	}()
	func() { seedVisit("warm-up") }() // called in place: still start-up
	addKey := func(k string) {
		keyed[k] = true // near miss: a local literal that init only calls runs when init does
	}
	addKey("a")
	addKey("b")
}

var keyed = map[string]bool{}

var pathQueue = make(chan string)

func countVisit(path string) {
	visits[path]++ // want: RET001
}

var seeded = map[string]bool{}

func seedVisit(k string) {
	seeded[k] = true // near miss: only a literal that init calls in place calls it
}

var lateOnce sync.Once

var late = map[string]bool{}

func startLate() {
	lateOnce.Do(func() {
		go func() {
			for p := range pathQueue {
				keepLate(p)
			}
		}()
	})
}

func keepLate(k string) {
	late[k] = true // want: RET001
}
