"""Finding people as staff type them: search keys, the search selector, saved searches."""
