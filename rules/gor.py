"""GOR: goroutine and timer lifecycle."""
