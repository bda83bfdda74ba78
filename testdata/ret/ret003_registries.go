package ret

import "flag"

// A registration API: exported, called by no code of this package, storing a function it is given.
// Other packages fill it from their init functions: its size is bounded by the program's code.

type provider func() map[string]int

var (
	providers   []provider
	namespaces  []func(prefix string) string
	hooksByName = map[string]func(){}
	eventNames  []string
	lateHooks   []func()
)

func AddProvider(p provider) {
	providers = append(providers, p)
}

func AddNamespace(ns func(prefix string) string) {
	namespaces = append(namespaces, ns)
}

func SetHook(name string, h func()) {
	hooksByName[name] = h
}

// Near misses: what is appended is data, not a function (reported), and a function-registering API
// that the package itself calls per request (reported).

func AddEventName(name string) {
	eventNames = append(eventNames, name) // want: RET003
}

func OnRequest(h func()) {
	lateHooks = append(lateHooks, h) // want: RET003
}

func serveOne() {
	OnRequest(func() {})
}

// Flag callbacks: functions the package hands only to the flag package run once per command-line
// flag, so what they append is bounded by the command line.

type flagValue func(string)

func (f flagValue) String() string     { return "" }
func (f flagValue) Set(s string) error { f(s); return nil }

var (
	tagEdits   []string
	setEdits   []string
	mixedEdits []string
)

func addTag(arg string) error {
	tagEdits = append(tagEdits, arg)
	return nil
}

func addSet(arg string) {
	setEdits = append(setEdits, arg)
}

func addMixed(arg string) error {
	mixedEdits = append(mixedEdits, arg) // want: RET003
	return nil
}

func setupFlags(fs *flag.FlagSet) {
	fs.Func("tag", "add a tag", addTag)
	fs.Var(flagValue(addSet), "set", "set a key")
	flag.Func("mixed", "also called per request", addMixed)
}

// Near miss: addMixed is a flag callback but the package also calls it per request.
func handleMixed(line string) {
	_ = addMixed(line)
}
