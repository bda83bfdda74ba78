// Internal to cmd/tool: only that command's process can import it, and that process exits.
package symtab

import "strings"

var names = map[string]string{}

var order []string

var firstWords = map[string]string{}

var later []func() string

func Intern(s string) string {
	if n, ok := names[s]; ok {
		return n
	}
	names[s] = s                                      // near miss: RET001 in a one-shot command
	order = append(order, s)                          // near miss: RET003 in a one-shot command
	firstWords[s] = strings.Fields(s + " x")[0]       // near miss: RET004 in a one-shot command
	later = append(later, func() string { return s }) // near miss: RET005 in a one-shot command
	return s
}
