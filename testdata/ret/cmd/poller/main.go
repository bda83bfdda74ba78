// A command that ticks: it lives on without serving anything.
package main

import (
	"fmt"
	"time"
)

var samples = map[int64]int{}

func main() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for now := range t.C {
		samples[now.Unix()] = len(samples) // want: RET002
		fmt.Println(len(samples))
	}
}
