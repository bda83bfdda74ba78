package render

import "testing"

func TestRender(t *testing.T) {
	render([]int{1, 2, 3})
	Render([]int{4})
}
