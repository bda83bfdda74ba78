package lay

import "net/url"

type matrix [4][4]float64

type profile struct {
	name string
	tags [8]string
}

type tenWords [10]int64

func det(m matrix) float64 { // want: LAY002
	return m[0][0]
}

func (p profile) display() string { // want: LAY002
	return p.name
}

func render(title string, p profile, scale int) string { // want: LAY002
	return title + p.tags[scale]
}

var apply = func(m matrix) float64 { // want: LAY002
	return m[1][1]
}

func host(u url.URL) string { // want: LAY002
	return u.Host
}

// Near misses: pointers, exactly 80 bytes, slices of large elements, interface methods.

type shaper interface {
	area(m matrix) float64
}

func detPtr(m *matrix) float64 { return m[0][0] }

func sumTen(t tenWords) int64 { return t[0] + t[9] }

func all(ms ...matrix) int { return len(ms) }

func (p *profile) first() string { return p.tags[0] }
