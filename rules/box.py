"""BOX: interface boxing and reflection."""
