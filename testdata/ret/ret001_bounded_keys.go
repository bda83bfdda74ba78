package ret

import "runtime"

// Keys that a parameter takes, when every caller in the package passes a constant there: one key per
// call site.

const (
	reloadsName = "reloads"
	uptimeName  = "uptime"
)

var (
	gauges   = map[string]int{}
	counters = map[string]int{}
)

func newGauge(name string, initial int) {
	gauges[name] = initial
}

func setupGauges() {
	newGauge(reloadsName, 0)
	newGauge(uptimeName, 1)
	newGauge("connections", 0)
}

// Near miss: one caller passes a value known only at run time.
func newCounter(name string) {
	counters[name] = 0 // want: RET001
}

func setupCounters(route string) {
	newCounter("requests")
	newCounter(route)
}

// Code that never runs: an unexported function called only under a constant-false condition.

const traceConnections = false

var (
	connNames  = map[string]int{}
	traceNames = map[string]int{}
)

var traceAll = false // a variable: may be set at run time

func nameConn(base string) string {
	connNames[base]++
	return base
}

func nameTraced(base string) string {
	traceNames[base]++ // want: RET001
	return base
}

func accept(base string) {
	if traceConnections {
		_ = nameConn(base)
	}
	if traceAll {
		_ = nameTraced(base)
	}
}

// Code for another target never runs in the package as analysed (linux/amd64 unless GOOS says else).

var (
	planNames  = map[string]int{}
	eitherName = map[string]int{}
)

func namePlan9(base string) {
	planNames[base]++
}

func nameEither(base string) {
	eitherName[base]++ // want: RET001
}

func acceptOn(base string) {
	if runtime.GOOS == "plan9" {
		namePlan9(base)
	}
	if runtime.GOOS == "plan9" || traceAll {
		nameEither(base)
	}
}
