package box

import (
	"net/http"
	rf "reflect"
)

func callEach(fns []any, arg int) {
	in := []rf.Value{rf.ValueOf(arg)}
	for _, f := range fns {
		v := rf.ValueOf(f)
		v.Call(in)                // want: BOX002
		v.CallSlice(in)           // want: BOX002
		_ = v.MethodByName("Run") // want: BOX002
	}
}

func makeEach(types []rf.Type) {
	for _, t := range types {
		_ = rf.New(t)             // want: BOX002
		_ = rf.MakeSlice(t, 0, 4) // want: BOX002
		_ = rf.MakeMap(t)         // want: BOX002
		_ = rf.MakeSlice(t, 0, 0) // a zero capacity: no backing array
	}
}

func serveReflect(w http.ResponseWriter, r *http.Request) {
	_ = rf.New(rf.TypeOf(r)) // want: BOX002
}

// Near misses.
func reflectOnce(f any, t rf.Type) rf.Value {
	v := rf.ValueOf(f) // not hot: runs once
	v.Call(nil)
	for i := 0; i < t.NumField(); i++ {
		_ = t.Field(i) // reading type metadata does not allocate per call
		if i == 3 {
			return rf.New(t) // the loop ends here: once
		}
	}
	return rf.MakeSlice(t, 0, 1)
}

type caller struct{}

func (caller) Call(args []rf.Value) {}

func notReflect(cs []caller) {
	for _, c := range cs {
		c.Call(nil) // a local type's Call method
	}
}

// The new object is the result: set into a value, appended, returned, stored. Not reported.
func fillNil(vs []rf.Value) {
	for _, v := range vs {
		if v.IsNil() {
			v.Set(rf.New(v.Type().Elem())) // a decoder filling a nil pointer
		}
		s := rf.MakeSlice(v.Type(), 3, 3)
		v.Set(s) // through a local
	}
}

func zeroValues(ts []rf.Type) []any {
	out := make([]any, 0, len(ts))
	for _, t := range ts {
		out = append(out, rf.New(t).Elem().Interface())
	}
	return out
}

type slot struct{ v rf.Value }

func storeEach(s *slot, ts []rf.Type) {
	for _, t := range ts {
		s.v = rf.New(t)
	}
}

// A scratch value used and dropped within the iteration: reported (SetMapIndex copies it).
func mapKeys(m rf.Value, kt rf.Type, ns []int64) {
	for _, n := range ns {
		kv := rf.New(kt).Elem() // want: BOX002
		kv.SetInt(n)
		m.SetMapIndex(kv, kv)
	}
}

func addressable(vs []rf.Value, out []rf.Value) {
	for i, v := range vs {
		v2 := rf.New(v.Type()) // handed on to another variable, whose uses are not followed: kept
		v2.Elem().Set(v)
		v = v2
		out[i] = v
	}
}

// Idiomatic decoding into a slice through reflection: each element is a new value that the slice keeps.
func decodeAll(s rf.Value, t rf.Type, n int) rf.Value {
	for i := 0; i < n; i++ {
		s = rf.Append(s, rf.New(t).Elem())
	}
	return s
}
