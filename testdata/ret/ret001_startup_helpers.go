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
