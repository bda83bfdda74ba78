package ser

import "os"

// os.Stdout is an *os.File, which has WriteString.
func printLine(s string) {
	os.Stdout.Write([]byte(s)) // want: SER004
}

func printErr(s string) {
	os.Stderr.Write([]byte(s + "\n"))
}
