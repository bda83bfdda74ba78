"""Output formats. Each reporter turns sorted findings into one format; none of them knows about rules
beyond the metadata the findings and the registry carry."""
