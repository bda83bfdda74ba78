package ret

import (
	"reflect"
	"sync"
)

var sessions = map[string]int{}

var hits = make(map[string]int)

var resolved sync.Map

var cache struct {
	sync.Mutex
	byKey map[string][]byte
}

type index struct {
	paths map[string]bool
	names sync.Map
	mu    sync.Mutex
}

var idx = &index{paths: map[string]bool{}}

func remember(id string, n int) {
	sessions[id] = n // want: RET001
}

func count(path string) {
	hits[path]++ // want: RET001
}

func resolve(host string, addr []string) {
	resolved.Store(host, addr) // want: RET001
	if v, ok := resolved.Load(host); ok {
		_ = v
	}
}

func put(key string, val []byte) {
	cache.Lock()
	defer cache.Unlock()
	cache.byKey[key] = val // want: RET001
}

func (x *index) touch(p string) { x.mu.Lock(); x.mu.Unlock() }

// Shapes the byte pre-filter (containers.written) must not lose: parentheses, spaces, a generic-free
// method call split over lines.
var (
	parenthesised = map[string]int{}
	spaced        = map[string]int{}
	splitCall     sync.Map
	commented     = map[string]int{}
	nestedKey     = map[string]int{}
	multi         = map[string]int{}
	plusAssigned  = map[string]int{}
	readOnly      = map[string]int{}
	keys          = []string{"a"}
	n             int
)

func oddShapes(k string) {
	(parenthesised)[k] = 1 // want: RET001
	spaced [k] = 2 // want: RET001
	splitCall. // want: RET001
		Store(k, 3)
	commented /* [x] */ [k] = 4 // want: RET001
	nestedKey[keys[0]] = 5      // want: RET001
	multi[k], n = 6, 7          // want: RET001
	(plusAssigned[k]) += 8      // want: RET001
	_ = readOnly[k] == 9 // read, never written: no finding
}

func addPath(p string) {
	idx.paths[p] = true              // want: RET001
	idx.names.LoadOrStore(p, len(p)) // want: RET001
	idx.touch(p)
}

// A package variable named like idx's field: `index{paths: …}` above names the field, not this variable
// (taking it for a use of the variable, handed on, hid the finding).
var paths = map[string]int{}

func addPathCount(p string) {
	paths[p]++ // want: RET001
}

// Near misses.

var (
	evicted   = map[string]int{}
	cleared   = map[string]int{}
	replaced  = map[string]int{}
	handedOut = map[string]int{}
	fixedKeys = map[string]int{}
	atInit    = map[string]int{}
	typeCache sync.Map
	conns     sync.Map
	onceTable = map[string]int{}
	tableOnce sync.Once
	drivers   = map[string]func(){}
	byBit     = map[bool]int{}
)

func nearMisses(k string, t reflect.Type, v int) {
	evicted[k] = v // deleted below
	cleared[k] = v // cleared below
	replaced[k] = v
	handedOut[k] = v // passed to code that may delete
	fixedKeys["total"] = v
	fixedKeys["max"] = v  // constant keys: bounded
	typeCache.Store(t, v) // one key per type in the program
	conns.Store(k, v)
	tableOnce.Do(func() {
		onceTable[k] = v // runs once
	})
	byBit[v > 0] = v // two possible keys
	evict(k)
}

func init() {
	for _, k := range []string{"a", "b"} {
		atInit[k] = len(k)
	}
}

// RegisterDriver fills a registry at program start.
func RegisterDriver(name string, open func()) {
	drivers[name] = open
}

func evict(k string) {
	delete(evicted, k)
	clear(cleared)
	replaced = make(map[string]int)
	drain(handedOut)
	conns.Range(func(key, _ any) bool {
		conns.Delete(key)
		return true
	})
}

func drain(m map[string]int) {
	for k := range m {
		delete(m, k)
	}
}

// A cache keyed by a type and a name of it (a method lookup cache): bounded by the program's types.
type methodKey struct {
	tp   reflect.Type
	name string
}

var methodCache sync.Map

func methodByName(tp reflect.Type, name string) reflect.Method {
	k := methodKey{tp, name}
	if m, ok := methodCache.Load(k); ok {
		return m.(reflect.Method)
	}
	m, _ := tp.MethodByName(name)
	methodCache.Store(k, m)
	return m
}

// A key struct without a type in it is the input's: reported.
type userKey struct {
	tenant string
	id     int
}

var perUser = map[userKey]int{}

func visit(tenant string, id int) {
	perUser[userKey{tenant, id}]++ // want: RET001
}
