// Under cmd/tool but not internal to it: any program may import it, and its process may live on.
package plugin

var loaded = map[string]bool{}

func Load(name string) bool {
	loaded[name] = true // want: RET001
	return true
}
