package box

import (
	"errors"
	"fmt"
	"log"
	"net/http"

	"gostatic.test/testdata/box/logopt"
)

// Diagnostics switched on by hand: a log level or verbosity against a constant above its default of
// zero, a logging package's Enabled(), a debug word, through && and ||. Each has a near miss that stays.

type locState struct {
	loggingLevel int
	level        int // a tree depth: data, not a switch
	logLevel     int
}

var verbflag = new(int)

func (s *locState) entries(xs []int, minLevel int) {
	for _, x := range xs {
		if s.loggingLevel > 1 {
			log.Println("entry", x*1000) // a log level above its default
		}
		if *verbflag >= 4 {
			log.Println("entry", x*1000) // -v=4 and above
		}
		if logopt.Enabled() {
			log.Println("entry", x*1000) // the optimisation log's own switch
		}
		if s.level > 1 {
			log.Println("entry", x*1000) // want: BOX001
		}
		if s.logLevel > minLevel {
			log.Println("entry", x*1000) // want: BOX001
		}
		if *verbflag >= 0 {
			log.Println("entry", x*1000) // want: BOX001
		}
	}
}

type feature struct{ on bool }

func (f feature) Enabled() bool { return f.on }

func gated(xs []int, f feature) {
	for _, x := range xs {
		if f.Enabled() {
			log.Println("entry", x*1000) // want: BOX001
		}
	}
}

var debugTables bool

func polarity(xs []int) error {
	for _, x := range xs {
		if !verbose {
			log.Println("quiet", x*1000) // want: BOX001
		}
		if verbose || x > 10 {
			log.Println("big", x*1000) // want: BOX001
		}
		err := check(x)
		if verbose || err != nil {
			log.Println("checked", x*1000) // verbose, or a failure
		}
		if debugTables && x > 10 {
			log.Println("table", x*1000) // either side of && is enough
		}
	}
	return nil
}

func check(x int) error {
	if x < 0 {
		return errors.New("negative")
	}
	return nil
}

// A debug log that takes a function builds its message only when debug logging is on.
type event struct{ on bool }

func (e *event) MsgFunc(f func() string) {
	if e.on {
		log.Print(f())
	}
}

type logger struct{ level int }

func (e *event) Log(f stringFunc) {
	if e.on {
		log.Print(f())
	}
}

func (l logger) Debug() *event { return &event{on: l.level > 1} }
func (l logger) Info() *event  { return &event{on: l.level > 0} }

type stringFunc func() string

func (l logger) Log(f stringFunc) { log.Print(f()) }

func lazy(l logger, xs []int) {
	l.Debug().MsgFunc(func() string {
		s := ""
		for _, x := range xs {
			log.Println("x", x*1000) // called only when debug logging is on
		}
		return s
	})
	l.Debug().Log(stringFunc(func() string {
		s := ""
		for _, x := range xs {
			log.Println("x", x*1000) // through a one-argument wrapper
		}
		return s
	}))
	l.Log(stringFunc(func() string {
		s := ""
		for _, x := range xs {
			log.Println("x", x*1000) // want: BOX001
		}
		return s
	}))
	l.Info().MsgFunc(func() string {
		s := ""
		for _, x := range xs {
			log.Println("x", x*1000) // want: BOX001
		}
		return s
	})
}

// A middleware constructor runs when the handler chain is built; the handler it returns runs per request.
func newTagger(next http.Handler, tags []int) (http.Handler, error) {
	names := map[string]any{}
	for _, t := range tags {
		names[fmt.Sprint(t)] = t * 1000 // set-up, once per chain
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, t := range tags {
			fmt.Fprintf(w, "%d", t*1000) // want: BOX001
		}
		next.ServeHTTP(w, r)
	}), nil
}

// Not a constructor: it takes no handler, and a router calls it per request to pick one.
type router struct{ routes map[string]http.Handler }

func (m *router) pick(r *http.Request, ids []int) http.Handler {
	for _, id := range ids {
		log.Println("pick", id*1000) // want: BOX001
	}
	return m.routes[r.URL.Path]
}

// A function called only from init is cold, but not the handler it returns or the goroutine it starts:
// they run after it, as often as they are used.
func serveStats(ids []int) http.Handler {
	for _, id := range ids {
		log.Println("stats", id*1000) // only init calls it
	}
	go func() {
		for _, id := range ids {
			log.Println("tick", id*1000) // want: BOX001
		}
	}()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, id := range ids {
			fmt.Fprintf(w, "%d", id*1000) // want: BOX001
		}
	})
}

func init() {
	http.Handle("/stats", serveStats([]int{1, 2, 3}))
}
