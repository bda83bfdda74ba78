package ret

import (
	"net/http"
	"sync"
)

var (
	onShutdown []func()
	callbacks  = map[string]func() int{}
	watchers   sync.Map
)

type server struct{ name string }

func (s *server) handle(w http.ResponseWriter, r *http.Request) {
	onShutdown = append(onShutdown, func() { _ = r.URL }) // want: RET005
	callbacks[r.URL.Path] = func() int {                  // want: RET005
		return len(s.name)
	}
	watchers.Store(r.URL.Path, func() { w.WriteHeader(200) }) // want: RET005
}

// Near misses.

var (
	plainHooks []func()
	initHooks  []func()
)

func register2() {
	plainHooks = append(plainHooks, func() {}) // captures nothing
	local := []func(){}
	n := 3
	local = append(local, func() { _ = n }) // a local registry
	_ = local
}

func init() {
	name := "init"
	initHooks = append(initHooks, func() { _ = name }) // runs once
}

func shutdown() {
	for _, f := range onShutdown {
		f()
	}
	onShutdown = nil
	plainHooks = nil
	initHooks = nil
	clear(callbacks)
	watchers.Clear()
}

// A work queue: each entry is popped and run, so what its closure captures goes with it.
var todo []func()

func later(r *http.Request) {
	todo = append(todo, func() { _ = r.URL })
}

func runTodo() {
	for len(todo) > 0 {
		fn := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		fn()
	}
}

// A map whose entries are deleted when done.
var pending = map[string]func(){}

func track(r *http.Request) {
	pending[r.URL.Path] = func() { _ = r.URL }
}

func done(path string) {
	delete(pending, path)
}
