// Package logopt stands for a compiler's optimisation log: off unless a flag names an output file.
package logopt

var out string

// Enabled reports whether the log is on.
func Enabled() bool { return out != "" }
