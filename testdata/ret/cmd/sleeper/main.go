// A command that polls with time.Sleep: it lives on without serving or ticking.
package main

import (
	"fmt"
	"os"
	"time"
)

var etags = map[string]string{}

func main() {
	for {
		poll(os.Args[1:])
		time.Sleep(30 * time.Second)
	}
}

func poll(urls []string) {
	for _, u := range urls {
		remember(u, fmt.Sprint(len(u)))
	}
}

func remember(url, etag string) {
	etags[url] = etag // want: RET001
}
