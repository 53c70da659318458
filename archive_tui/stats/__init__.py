"""Statistics: reading-room counts, catalogue counts and the annual report tables."""
