package box

import (
	"errors"
	goflag "flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
)

// Cold code: every conversion below is the pattern, in code that runs once or only after a failure, so
// it is not reported (analysis/cold.py; `--include-cold` reports it). Each has a hot twin that is.

type job struct {
	id   int
	name string
}

var table = func() map[string]any {
	m := map[string]any{}
	for _, x := range []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12} {
		m[strconv.Itoa(x)] = x * x // package variable initialiser: runs once
	}
	return m
}()

// buildTable is only called from an initialiser, but gostatic does not follow calls: reported.
func buildTable(xs []int) map[string]any {
	m := map[string]any{}
	for _, x := range xs {
		m[strconv.Itoa(x)] = x * x // want: BOX001
	}
	return m
}

func init() {
	for _, x := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} {
		log.Println("init", x*1000) // init runs once
	}
}

func processAll(jobs []job) error {
	for _, j := range jobs {
		if j.id < 0 {
			log.Printf("bad job %d", j.id*1000) // error path: the branch returns an error
			return errors.New("bad job")
		}
		if j.name == "" {
			log.Printf("no name: %d", j.id*1000) // error path: the branch ends the program
			os.Exit(2)
		}
		if err := run(j); err != nil {
			return fmt.Errorf("job %d: %w", j.id*1000, err) // the error a failing return builds
		}
		log.Println("done", j.id*1000) // want: BOX001
	}
	return nil
}

func run(j job) error {
	if j.id > 1000 {
		return &jobError{id: j.id}
	}
	return nil
}

type jobError struct{ id int }

func (e *jobError) Error() string {
	out := ""
	for i := 0; i < e.id; i++ {
		out += fmt.Sprint(e.id * 1000) // in an Error method: runs to report a failure
	}
	return out
}

type report struct{ rows []int }

func (r report) String() string {
	s := ""
	for _, v := range r.rows {
		s += fmt.Sprint(v * 1000) // in a String method: runs to print
	}
	return s
}

var (
	cacheMu sync.Mutex
	cache   map[string]any
)

func lookup(keys []string, n int) any {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if cache == nil {
		cache = map[string]any{}
		for _, k := range keys {
			cache[k] = n * 1000 // lazy initialisation: runs once
		}
	}
	for _, k := range keys {
		cache[k] = n * 2000 // want: BOX001
	}
	return cache[keys[0]]
}

var once sync.Once

func warm(keys []string, n int) {
	once.Do(func() {
		for _, k := range keys {
			log.Println(k, n*1000) // a sync.Once callback: runs once
		}
	})
}

const (
	fewLines  = 2
	manyLines = 100
)

func fixedLoop(w io.Writer, n int) {
	for i := 0; i < 3; i++ {
		fmt.Fprintln(w, "line", n*i) // a loop of three iterations
	}
	for i := range fewLines {
		fmt.Fprintln(w, "line", n*i) // a named constant bound: two iterations
	}
	for i := 1; i <= 64; i *= 2 {
		fmt.Fprintln(w, "line", n*i) // 1, 2, 4, ..., 64: seven iterations
	}
	for i := 0; i < n; i++ {
		fmt.Fprintln(w, "line", n*i) // want: BOX001
	}
	for i := range manyLines {
		fmt.Fprintln(w, "line", n*i) // want: BOX001
	}
	for i := 1; i <= 256; i *= 2 {
		fmt.Fprintln(w, "line", n*i) // want: BOX001
	}
	for i := 0; i < 3; i++ {
		if n > 0 {
			i--
		}
		fmt.Fprintln(w, "line", n*i) // want: BOX001
	}
}

func firstNegative(xs []int) {
	for _, x := range xs {
		if x < 0 {
			log.Println("first negative", x*1000) // every path leaves the loop after it: once
			break
		}
	}
}

var verbose bool

func trace(xs []int) {
	for _, x := range xs {
		if verbose {
			log.Println("x =", x*1000) // under a verbose switch: off in normal runs
		}
		log.Println("x", x*1000) // want: BOX001
	}
}

func smallInts(names []string, data []byte) {
	for i := 0; i < 200; i++ {
		log.Println("step", i) // a counter in [0, 200): the runtime's static table, no allocation
	}
	for i := range 100 {
		log.Println("step", i) // a counter in [0, 100)
	}
	for i, name := range names {
		log.Println(name, i&0xff, int(data[i])) // want: BOX001
	}
	for i := 0; i < 300; i++ {
		log.Println("step", i) // want: BOX001
	}
}

func emptyValues(names []string) {
	var none []byte
	empty := ""
	for range names {
		log.Println(empty, none) // the empty string and a nil slice: no allocation
	}
}

func handleSum(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil {
		log.Printf("bad n in %s: %d", r.URL.Path, n*1000) // error path: answers with http.Error
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	log.Printf("sum of %s: %d", r.URL.Path, n*2000) // want: BOX001
}

var uptime int

// Handlers for operators, not users: scraped every few seconds, not hot.
func handleHealthz(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "ok %d", uptime*1000) // a health check
}

type metricsHandler struct{}

func (metricsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "requests %d", uptime*1000) // a metrics endpoint
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ready %d", uptime*1000) // a readiness probe
	})
	mux.HandleFunc("/orders", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "orders %d", uptime*1000) // want: BOX001
	})
}

// Usage text, printed when a command is run wrong.
func usage(w io.Writer, flags []string) {
	for i, f := range flags {
		fmt.Fprintf(w, "  -%s (%d)\n", f, i*1000) // usage text
	}
}

// A dump is not cold by its name: `dump` is also the name of code that runs per item.
func dumpJobs(w io.Writer, jobs []job) {
	for _, j := range jobs {
		fmt.Fprintf(w, "%d\n", j.id*1000) // want: BOX001
	}
}

// Configuration builders run at start-up or when the settings change; requests read the result.
type Config struct{ Routes map[string]any }

func loadConfig(jobs []job) *Config {
	c := &Config{Routes: map[string]any{}}
	for _, j := range jobs {
		c.Routes[j.name] = fmt.Sprintf("%s-%d", j.name, j.id*1000) // builds a *Config
	}
	return c
}

func loadRoute(j job, n int) (*Config, error) {
	c := &Config{Routes: map[string]any{}}
	for i := 0; i < n; i++ {
		c.Routes[j.name] = j.id * i * 1000 // builds a (*Config, error)
	}
	return c, nil
}

// Reading a configuration is not building one: reported.
func applyConfig(c *Config, jobs []job) {
	for _, j := range jobs {
		c.Routes[j.name] = j.id * 1000 // want: BOX001
	}
}

// An enumeration: its constants are all below 256, so its values box into the runtime's static table.
type level int

const (
	levelDebug level = iota
	levelInfo
	levelWarn
)

// Not an enumeration of small values: one constant is 256 or more.
type code int

const (
	codeOK   code = 200
	codeSlow code = 1000
)

func levels(ls []level, cs []code) {
	for _, l := range ls {
		log.Println("level", l)
	}
	for _, c := range cs {
		log.Println("code", c) // want: BOX001
	}
}

// An iteration that starts a process or creates a file costs far more than the boxing beside it.
func runTools(names []string, n int) {
	for _, name := range names {
		cmd := exec.Command(name, fmt.Sprintf("-n=%d", n*1000)) // a process per iteration
		_ = cmd.Run()
	}
	for _, name := range names {
		f, err := os.Create(name)
		if err != nil {
			continue
		}
		fmt.Fprintf(f, "%d\n", n*1000) // a file created per iteration
		f.Close()
	}
	for _, name := range names {
		fmt.Fprintf(os.Stdout, "%s %d\n", name, n*1000) // want: BOX001 BOX001
	}
}

// Error values of the package's own error types, returned or set into the named error result.
type protocolError string

func (e protocolError) Error() string { return string(e) }

type SyntaxError struct{ Msg string }

func (e SyntaxError) Error() string { return e.Msg }

func parseLines(lines []string) (n int, err error) {
	for i, l := range lines {
		if l == "" {
			return i, protocolError(fmt.Sprintf("empty line %d", i*1000)) // the error a failing return builds
		}
		if len(l) > 80 {
			err = SyntaxError{fmt.Sprintf("line %d too long", i*1000)} // set into the error result, then return
			return
		}
		n += len(fmt.Sprint(i*1000, l)) // want: BOX001 BOX001
	}
	return n, nil
}

// Command and flag set-up (a *flag.FlagSet or a CLI's *…Command parameter) and the methods configuration
// libraries call while reading a configuration run once per run.
func addFlags(fs *goflag.FlagSet, names []string) {
	for i, n := range names {
		fs.String(n, "", fmt.Sprintf("option %d", i*1000)) // flag set-up
	}
}

type settings struct{ Ports map[string]any }

func (s *settings) UnmarshalYAML(unmarshal func(any) error) error {
	for i := range 1000 {
		s.Ports[strconv.Itoa(i)] = i * 1000 // reading the configuration
	}
	return unmarshal(s)
}

// UnmarshalJSON also decodes data, per request perhaps: reported.
func (s *settings) UnmarshalJSON(data []byte) error {
	for i := range data {
		s.Ports[strconv.Itoa(i)] = i * 1000 // want: BOX001
	}
	return nil
}

// A *flag.Flag is not a flag set: reported.
func describeFlags(fl []*goflag.Flag, w io.Writer) {
	for i, f := range fl {
		fmt.Fprintln(w, f.Name, i*1000) // want: BOX001
	}
}

// A dump printed on the way to a panic or a Fatal runs when something already failed.
func giveUp(xs []int) {
	for _, x := range xs {
		fmt.Printf("state %d\n", x*1000) // followed by panic: the failure's own report
	}
	panic("inconsistent state")
}

type fatalLogger struct{ *log.Logger }

func dieWith(lg fatalLogger, xs []int) {
	for _, x := range xs {
		lg.Printf("state %d", x*1000) // a logger's Fatalf ends the program too
	}
	lg.Fatalf("giving up after %d", len(xs)*1000)
}

// Near misses: the loop can also leave by a return, or the panic is conditional.
func findOrDie(xs []int, want int) int {
	for i, x := range xs {
		fmt.Printf("checking %d\n", x*1000) // want: BOX001
		if x == want {
			return i
		}
	}
	panic("not found")
}

func checkAll(xs []int) {
	for _, x := range xs {
		fmt.Printf("checking %d\n", x*1000) // want: BOX001
	}
	if len(xs) > 1000 {
		panic("too many")
	}
}

// A labelled break that only ends the loop still reaches the panic.
func scanUntil(xs []int) {
scan:
	for _, x := range xs {
		fmt.Printf("scan %d\n", x*1000) // the loop ends, then the panic
		if x < 0 {
			break scan
		}
	}
	panic("no negative value")
}

// Near miss: handlers set up before log.Fatal(ListenAndServe) run per request, not once.
func serveJobs(jobs []job) {
	http.HandleFunc("/jobs", func(w http.ResponseWriter, r *http.Request) {
		for _, j := range jobs {
			fmt.Fprintln(w, j.name, j.id*1000) // want: BOX001 BOX001
		}
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}

type tick struct{ id int }

var ticks = make(chan tick, 16)

// A function that init starts as a goroutine runs on after init returns when its loop can last as long as
// the program (a range over a channel, `for {}`, a ticker): not cold. One that makes one pass over its
// input is done soon after start-up, as cold as the init that started it.
func init() {
	go pump(ticks)
	go warmUp([]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
}

func pump(ch chan tick) {
	for e := range ch {
		log.Println("event", e.id*1000) // want: BOX001
	}
}

func warmUp(xs []int) {
	for _, x := range xs {
		log.Println("warm", x*1000)
	}
}
