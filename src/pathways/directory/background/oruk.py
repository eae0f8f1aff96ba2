"""Background jobs of this area of the knowledge base."""
