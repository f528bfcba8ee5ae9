"""Date and number formats for the interface languages Django has none for (``cnr``)."""
