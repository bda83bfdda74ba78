package nodelete

var seen = map[string]int{}

func observe(k string) {
	seen[k]++ // want: RET001
}
