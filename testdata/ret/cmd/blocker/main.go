// A command that starts its workers and blocks for good with `select {}`: its process lives on.
package main

import "os"

var jobs = map[string]int{}

func main() {
	for _, arg := range os.Args[1:] {
		go work(arg)
	}
	select {}
}

func work(name string) {
	jobs[name]++ // want: RET001
}
