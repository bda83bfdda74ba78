// Internal to a command that serves: reported as anywhere else.
package sessions

var open = map[string]bool{}

var log []string

func Open(id string) {
	open[id] = true       // want: RET001
	log = append(log, id) // want: RET003
}
