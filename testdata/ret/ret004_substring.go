package ret

import (
	"bytes"
	"strings"
	"sync"
)

var (
	hostsByName = map[string]string{}
	headerNames []string
	rawKeys     = map[string][]byte{}
	tokenCache  sync.Map
	config      struct {
		region string
	}
)

func parseLine(line string) {
	i := strings.IndexByte(line, '=')
	if i < 0 {
		return
	}
	hostsByName[line[:i]] = "known" // want: RET004
	fields := strings.Fields(line)
	headerNames = append(headerNames, fields[0]) // want: RET003 RET004
	for _, f := range strings.Split(line, ",") {
		tokenCache.Store(f, true) // want: RET001 RET004
	}
	config.region = line[i+1:] // want: RET004
}

func parseRaw(key string, b []byte) {
	rawKeys[key] = b[4:16] // want: RET001 RET004
	parts := bytes.Split(b, []byte(","))
	rawKeys["first"] = parts[0] // want: RET004
}

// Near misses.

var (
	copiedNames = map[string]string{}
	wholeNames  []string
)

func parseNear(line string, b []byte) {
	i := strings.IndexByte(line, '=')
	copiedNames[strings.Clone(line[:i])] = string(b[:4]) // copies
	wholeNames = append(wholeNames, line)                // the whole string
	local := map[string]string{}
	local[line[:i]] = line[i:] // a local map
	_ = local
	config.region = config.region[1:] // trims what it already held: nothing new is pinned
	const prefix = "abcdef"
	copiedNames["p"] = prefix[:3] // a constant: static data
	reset()
}

func reset() {
	clear(copiedNames)
	wholeNames = wholeNames[:0]
	delete(hostsByName, "")
}
