package box

import "strconv"

type record struct {
	name string
	id   int
}

var registry = map[string]any{}

type attrs map[string]interface{}

func collect(rs []record) []any {
	var out []any
	fields := attrs{}
	for _, r := range rs {
		out = append(out, r.id, r.name)   // want: BOX001 BOX001
		out = append(out, r)              // want: BOX001
		registry[r.name] = r.id           // want: BOX001 RET001
		fields["id"] = strconv.Itoa(r.id) // want: BOX001
		m := map[string]any{"rec": r}     // want: BOX001
		_ = m
	}
	_ = fields
	return out
}

// Near misses.
func collectNear(rs []*record, counts map[string]int, xs []any) {
	for _, r := range rs {
		xs = append(xs, r)          // a pointer: stored directly
		xs = append(xs, "const", 7) // constants
		xs = append(xs, xs...)      // no conversion
		counts[r.name] = r.id       // map of a concrete type
		registry["ptr"] = r         // pointer value
		registry["m"] = counts      // map value
	}
	_ = xs
}
