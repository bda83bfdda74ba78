// SER005: a slice grown by append once per range iteration, against make([]T, 0, len(xs)).
package ser005

import "testing"

type User struct{ Name string }

func namesBad(users []User) []string {
	names := []string{}
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

func namesGood(users []User) []string {
	names := make([]string, 0, len(users))
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

var sink []string

func bench(b *testing.B, names func([]User) []string) {
	users := make([]User, 1000)
	for i := range users {
		users[i].Name = "user"
	}
	b.ResetTimer()
	for range b.N {
		sink = names(users)
	}
}

func BenchmarkSER005Bad(b *testing.B)  { bench(b, namesBad) }
func BenchmarkSER005Good(b *testing.B) { bench(b, namesGood) }
