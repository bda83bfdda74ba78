package crossfile

var seen = map[string]int{}

func observe(k string) {
	seen[k]++ // deleted in b.go
}
