package ser

type tagList []string

type idList = []int64

// A grouped declaration: one append each per iteration (compaction code keeps parallel slices).
func splitColumns(rows []user) ([]int64, []string) {
	var (
		ids   []int64  // want: SER005
		names []string // want: SER005
	)
	for _, r := range rows {
		ids = append(ids, int64(r.ID))
		names = append(names, r.Name)
	}
	return ids, names
}

// A declaration with both a type and an empty literal.
func typedEmpty(rows []user) []int {
	var out []int = []int{} // want: SER005
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// A nil conversion.
func nilConverted(rows []user) []string {
	out := []string(nil) // want: SER005
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

// A named slice type and an alias.
func namedSlice(rows []user) tagList {
	var tags tagList // want: SER005
	for _, r := range rows {
		tags = append(tags, r.Name)
	}
	return tags
}

func aliasSlice(rows []user) idList {
	ids := idList{} // want: SER005
	for _, r := range rows {
		ids = append(ids, int64(r.ID))
	}
	return ids
}

// A range over a string: len(s) bytes bound its runes.
func runesOf(s string) []rune {
	var rs []rune // want: SER005
	for _, r := range s {
		rs = append(rs, r)
	}
	return rs
}

// One of the group is appended on a condition: only the other is reported.
func groupedFiltered(rows []user) ([]int64, []string) {
	var (
		ids   []int64 // want: SER005
		names []string
	)
	for _, r := range rows {
		ids = append(ids, int64(r.ID))
		if r.Name != "" {
			names = append(names, r.Name) // conditional: the count is unknown
		}
	}
	return ids, names
}

// Near misses.
func groupedWithValue(rows []user) []int {
	var (
		seen = 0
		out  = make([]int, 0, 8) // already has a capacity
	)
	for _, r := range rows {
		out = append(out, r.ID)
		seen++
	}
	return out[:seen]
}

type userMap map[string]user

func namedNotSlice(rows []user) userMap {
	m := userMap{}
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

func nonNilConversion(rows []user, prev []string) []string {
	out := []string(prev) // not empty
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func runesFiltered(s string) []rune {
	var rs []rune
	for _, r := range s {
		if r != ' ' {
			rs = append(rs, r)
		}
	}
	return rs
}

func overChannel(ch chan int) []int {
	var out []int
	for v := range ch { // a channel has no length to preallocate with
		out = append(out, v)
	}
	return out
}
