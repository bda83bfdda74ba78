"""SER: serialization and buffers."""
