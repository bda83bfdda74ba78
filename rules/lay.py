"""LAY: layout and copies."""
