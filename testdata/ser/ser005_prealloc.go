package ser

import (
	"fmt"
	"strconv"
)

type user struct {
	Name string
	ID   int
}

func userNames(users []user) []string {
	names := []string{} // want: SER005
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

// A map; make([]T, 0); an early error return does not stop it.
func parseAll(fields map[string]string) ([]int, error) {
	out := make([]int, 0) // want: SER005
	for k, v := range fields {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out = append(out, n)
	}
	return out, nil
}

type directory struct{ users []user }

// A method; var declaration (unsafe fix: nil becomes empty); ranging over a field.
func (d *directory) ids() []int {
	var ids []int // want: SER005
	for _, u := range d.users {
		ids = append(ids, u.ID)
	}
	return ids
}

// Nested loops: the inner loop appends once per inner iteration.
func labels(groups [][]user) [][]string {
	all := make([][]string, 0, len(groups))
	for _, g := range groups {
		var ls []string // want: SER005
		for i := range g {
			ls = append(ls, strconv.Itoa(g[i].ID))
		}
		all = append(all, ls)
	}
	return all
}

// A statement between the declaration and the loop: the fix still applies to a plain name.
func keys(m map[string]int) []string {
	ks := []string{} // want: SER005
	fmt.Println("collecting")
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// Two loops append in turn: the capacity is the sum of their lengths.
func allNames(staff, guests []user) []string {
	names := []string{} // want: SER005
	for _, u := range staff {
		names = append(names, u.Name)
	}
	for _, u := range guests {
		names = append(names, u.Name)
	}
	return names
}

// Ranging over a call: reported, with no fix (len(f()) in the make would call it twice).
func idsOf(d *directory) []int {
	var ids []int // want: SER005
	for _, u := range d.active() {
		ids = append(ids, u.ID)
	}
	return ids
}

func (d *directory) active() []user { return d.users }

// Near misses.

// Conditional append: the final length is not len(users).
func adults(users []user) []user {
	var out []user
	for _, u := range users {
		if u.ID > 18 {
			out = append(out, u)
		}
	}
	return out
}

// continue can skip the append.
func nonEmpty(names []string) []string {
	out := []string{}
	for _, n := range names {
		if n == "" {
			continue
		}
		out = append(out, n)
	}
	return out
}

// Two appends per iteration.
func pairs(users []user) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Name)
		out = append(out, strconv.Itoa(u.ID))
	}
	return out
}

// Already preallocated.
func preallocated(users []user) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Name)
	}
	return out
}

// Range over a channel: no length to preallocate with.
func drain(ch <-chan int) []int {
	var out []int
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Range over an integer (Go 1.22): len(n) does not exist.
func squares(n int) []int {
	var out []int
	for i := range n {
		out = append(out, i*i)
	}
	return out
}

// Spread append: more than one element per iteration.
func flatten(groups [][]int) []int {
	var out []int
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// break ends the loop early.
func firstThree(xs []int) []int {
	var out []int
	for _, x := range xs {
		out = append(out, x)
		if len(out) == 3 {
			break
		}
	}
	return out
}

// Over a conversion: its operand's length, no call to keep in a variable (a string's bytes bound its runes).
type itemList []int

func convertedRanges(xs []int, bs []byte, s string) ([]int, []rune, []byte) {
	var items []int // want: SER005
	for _, x := range itemList(xs) {
		items = append(items, x)
	}
	var runes []rune // want: SER005
	for _, r := range string(bs) {
		runes = append(runes, r)
	}
	var raw []byte // want: SER005
	for _, c := range []byte(s) {
		raw = append(raw, c)
	}
	return items, runes, raw
}
