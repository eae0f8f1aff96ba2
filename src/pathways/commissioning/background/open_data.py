"""Background job handlers of the bidders portal: open_data."""
