package ser

import "strings"

type label string

func csvLine(fields []string) string {
	line := ""
	for i, f := range fields {
		if i > 0 {
			line += "," // want: SER003
		}
		line = line + strings.TrimSpace(f) // want: SER003
	}
	return line
}

type report struct{ rows [][]string }

// A method; the string is declared in the outer loop and grown in the inner one.
func (r *report) render() []string {
	out := make([]string, 0, len(r.rows))
	for _, row := range r.rows {
		var s string
		for _, cell := range row {
			s = s + cell + "|" // want: SER003
		}
		out = append(out, s)
	}
	return out
}

// A named string type, a parameter, a closure, a three-clause loop.
func repeatLabel(l label, n int) label {
	grow := func() label {
		for i := 0; i < n; i++ {
			l += "!" // want: SER003
		}
		return l
	}
	return grow()
}

// Near misses.

// Declared inside the loop body: reset every iteration, never grows across iterations.
func perItem(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		s := "item:"
		s += it
		out = append(out, s)
	}
	return out
}

// Not strings.
func sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
		total = total + 1
	}
	return total
}

// Runs once: the loop returns right after.
func firstMatch(items []string, want string) string {
	msg := "found "
	for _, it := range items {
		if it == want {
			msg += it
			return msg
		}
	}
	return ""
}

// Prepending: not the s += x shape the rule is about.
func reversed(parts []string) string {
	s := ""
	for _, p := range parts {
		s = p + s
	}
	return s
}

// The type is not known to gostatic (a method result it has no table entry for).
func replaced(r *strings.Replacer, parts []string) string {
	s := r.Replace("")
	for _, p := range parts {
		s += p
	}
	return s
}

// A type parameter: its type set is not known to be only strings.
func concatAll[S ~string](xs []S) S {
	var s S
	for _, x := range xs {
		s += x
	}
	return s
}

// Reset at the top of every iteration: it never grows across iterations.
func perLine(rows [][]string, emit func(string)) {
	var line string
	for _, row := range rows {
		line = "> "
		for _, cell := range row {
			line += cell // want: SER003
		}
		line += "\n"
		emit(line)
	}
}

// The first piece is appended only while the string is still empty: concatenating onto "" copies
// nothing built so far. The pieces after it are the quadratic part.
func regList(first, count int) string {
	str := ""
	for i := 0; i < count; i++ {
		if str == "" {
			str += "[" // str is empty here
		} else {
			str += "," // want: SER003
		}
		str += "R" + strings.Repeat("x", first+i) // want: SER003
	}
	return str + "]"
}

func joinNonEmpty(parts []string) string {
	var s string
	for _, p := range parts {
		if len(s) == 0 && p != "" {
			s = s + p // s is empty here (len(s) == 0, one term of an &&)
			continue
		}
		if 0 == len(s) {
			s += "+" // s is empty here
			s += p   // want: SER003
		}
		if s != "" {
			s += ";" + p // want: SER003
		}
	}
	return s
}

// A call between the test and the concatenation may have filled the string through a closure.
func withCallback(parts []string, visit func(func(string))) string {
	s := ""
	add := func(x string) { s += x }
	for _, p := range parts {
		if s == "" {
			visit(add)
			s += p // want: SER003
		}
	}
	return s
}

// The test covers one pass only: an inner loop appends again after the first piece.
func nested(rows [][]string) string {
	s := ""
	for _, row := range rows {
		if s == "" {
			for _, c := range row {
				s += c // want: SER003
			}
		}
	}
	return s
}
