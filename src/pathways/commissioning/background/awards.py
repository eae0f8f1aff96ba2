"""Background job handlers of the bidders portal: awards."""
