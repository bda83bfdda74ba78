// RET004: a substring of a long line stored in a package-level map. The claim is retention: the metric
// is retained-B/op, the live heap each stored key keeps after a full collection (the 4 KiB line it was
// cut from, or only its own bytes once cloned).
package ret004

import (
	"strconv"
	"strings"
	"testing"

	"gostatic.bench/claims/internal/claim"
)

var namesBad = map[string]bool{}

func addBad(line string) {
	namesBad[strings.Fields(line)[0]] = true
}

var namesGood = map[string]bool{}

func addGood(line string) {
	namesGood[strings.Clone(strings.Fields(line)[0])] = true
}

var padding = strings.Repeat(" field", 680)

// line returns a new 4 KiB line whose first field is a short unique name.
func line(i int) string {
	buf := make([]byte, 0, 4096)
	buf = append(buf, "user"...)
	buf = strconv.AppendInt(buf, int64(i), 10)
	buf = append(buf, padding...)
	return string(buf)
}

func BenchmarkRET004Bad(b *testing.B) {
	claim.Retained(b, 256, func(i int) { addBad(line(i)) }, func() { clear(namesBad) })
}

func BenchmarkRET004Good(b *testing.B) {
	claim.Retained(b, 256, func(i int) { addGood(line(i)) }, func() { clear(namesGood) })
}
