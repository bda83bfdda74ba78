// A function only tests call is the tests' cost, even when a method of the package has its name: the
// method's calls are not the function's.
package render

import "fmt"

type writer struct{ prefix string }

func (w *writer) render(xs []int) {
	for _, x := range xs {
		fmt.Println(w.prefix, x*1000) // want: BOX001 BOX001
	}
}

// render is called only from render_test.go: not reported (near miss)
func render(xs []int) {
	for _, x := range xs {
		fmt.Println("x", x*1000)
	}
}

func Render(xs []int) {
	(&writer{prefix: "x"}).render(xs)
}
