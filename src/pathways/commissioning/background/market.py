"""Background job handlers of the bidders portal: market."""
