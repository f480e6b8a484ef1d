"""Reading the record: timelines, one resource with its facts, name lookup, counts."""
