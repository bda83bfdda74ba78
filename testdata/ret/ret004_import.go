package ret

import "unicode/utf8"

var firstWords = map[int]string{}

// The file does not import strings: the fix adds the import.
func firstWord(id int, s string) {
	n := utf8.RuneLen('x')
	firstWords[id] = s[:n] // want: RET001 RET004
}
