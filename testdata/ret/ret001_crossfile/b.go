package crossfile

func forget(k string) {
	delete(seen, k)
}
